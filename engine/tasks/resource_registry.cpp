#include "engine/tasks/resource_registry.hpp"

namespace flowstate::tasks {

void ResourceRegistry::add(std::string arn, std::shared_ptr<TaskResource> resource) {
  resources_[std::move(arn)] = std::move(resource);
}

TaskResource* ResourceRegistry::find(std::string_view arn) const {
  auto it = resources_.find(arn);
  return it == resources_.end() ? nullptr : it->second.get();
}

}  // namespace flowstate::tasks
