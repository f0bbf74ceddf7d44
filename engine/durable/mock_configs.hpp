// MockConfigs: the mock configuration files (AWS Step Functions Local's MockConfigFile) that
// executions name (ExecutionRecord::mock_config), each read once per process by its absolute
// path — a server runs executions that name different files.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "engine/tasks/mock_config.hpp"

namespace flowstate::durable {

class MockConfigs {
 public:
  /// `config`, read from `path` by the caller, who keeps it alive as long as this.
  void borrow(const std::string& path, const tasks::MockConfig& config) { borrowed_[path] = &config; }
  /// The file at `path`, read now if it was not; the error names the file and what is wrong.
  boost::system::result<const tasks::MockConfig*, std::string> load(const std::string& path);

 private:
  std::map<std::string, const tasks::MockConfig*, std::less<>> borrowed_;
  std::map<std::string, std::unique_ptr<tasks::MockConfig>, std::less<>> owned_;
};

}  // namespace flowstate::durable
