// ResourceRegistry: which TaskResource serves a Task state's Resource ARN. The CLI registers
// the real resources (local commands, ...); tests register their own.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tasks/task_resource.hpp"

namespace flowstate::tasks {

class ResourceRegistry {
 public:
  /// Serves exactly `arn`.
  void add(std::string arn, std::shared_ptr<TaskResource> resource);

  /// Serves every ARN `serves` accepts (a family such as every Lambda function ARN), when
  /// no exact ARN matches.
  void add_matching(std::function<bool(std::string_view arn)> serves,
                    std::shared_ptr<TaskResource> resource);

  /// The resource for `arn`, or nullptr when nothing serves it.
  TaskResource* find(std::string_view arn) const;

 private:
  struct Family {
    std::function<bool(std::string_view)> serves;
    std::shared_ptr<TaskResource> resource;
  };
  std::map<std::string, std::shared_ptr<TaskResource>, std::less<>> resources_;
  std::vector<Family> families_;
};

}  // namespace flowstate::tasks
