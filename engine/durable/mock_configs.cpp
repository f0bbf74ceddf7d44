#include "engine/durable/mock_configs.hpp"

namespace flowstate::durable {

boost::system::result<const tasks::MockConfig*, std::string> MockConfigs::load(const std::string& path) {
  if (auto found = borrowed_.find(path); found != borrowed_.end()) return found->second;
  if (auto found = owned_.find(path); found != owned_.end()) return found->second.get();
  auto loaded = tasks::MockConfig::load(path);
  if (!loaded) return loaded.error();
  auto& slot = owned_[path];
  slot = std::make_unique<tasks::MockConfig>(std::move(*loaded));
  return slot.get();
}

}  // namespace flowstate::durable
