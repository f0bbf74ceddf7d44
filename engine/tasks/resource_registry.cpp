#include "engine/tasks/resource_registry.hpp"

namespace flowstate::tasks {

void ResourceRegistry::add(std::string arn, std::shared_ptr<TaskResource> resource) {
  resources_[std::move(arn)] = std::move(resource);
}

void ResourceRegistry::add_matching(std::function<bool(std::string_view arn)> serves,
                                    std::shared_ptr<TaskResource> resource) {
  families_.push_back({std::move(serves), std::move(resource)});
}

TaskResource* ResourceRegistry::find(std::string_view arn) const {
  if (auto it = resources_.find(arn); it != resources_.end()) return it->second.get();
  for (const auto& family : families_)
    if (family.serves(arn)) return family.resource.get();
  return nullptr;
}

}  // namespace flowstate::tasks
