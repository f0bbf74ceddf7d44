// ResourceRegistry: which TaskResource serves a Task state's Resource ARN. The CLI registers
// the real resources (local commands, ...); tests register their own.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "engine/tasks/task_resource.hpp"

namespace flowstate::tasks {

class ResourceRegistry {
 public:
  /// Serves exactly `arn`.
  void add(std::string arn, std::shared_ptr<TaskResource> resource);

  /// The resource for `arn`, or nullptr when nothing serves it.
  TaskResource* find(std::string_view arn) const;

 private:
  std::map<std::string, std::shared_ptr<TaskResource>, std::less<>> resources_;
};

}  // namespace flowstate::tasks
