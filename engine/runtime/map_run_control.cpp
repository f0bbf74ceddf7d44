#include "engine/runtime/map_run_control.hpp"

namespace flowstate::runtime {

void MapRunUpdate::apply_to(MapRunLimits& limits) const {
  if (max_concurrency) limits.max_concurrency = *max_concurrency;
  if (tolerated_failure_count) limits.tolerated_failure_count = *tolerated_failure_count;
  if (tolerated_failure_percentage) limits.tolerated_failure_percentage = *tolerated_failure_percentage;
}

MapRunControls::Registration::Registration(MapRunControls& controls, std::string arn, Apply apply)
    : controls_(controls), arn_(std::move(arn)) {
  controls_.running_[arn_] = std::move(apply);
}

MapRunControls::Registration::~Registration() { controls_.running_.erase(arn_); }

bool MapRunControls::update(std::string_view arn, const MapRunUpdate& update) {
  auto found = running_.find(arn);
  if (found == running_.end()) return false;
  found->second(update);
  return true;
}

}  // namespace flowstate::runtime
