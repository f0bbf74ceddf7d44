#include "engine/asl/error_name.hpp"

#include <algorithm>
#include <array>

namespace flowstate::asl::error_name {

bool is_predefined(std::string_view name) {
  static constexpr std::array kNames = {
      kAll,           kTimeout,           kHeartbeatTimeout,
      kTaskFailed,    kPermissions,       kResultPathMatchFailure,
      kParameterPathFailure, kBranchFailed, kNoChoiceMatched,
      kIntrinsicFailure, kExceedToleratedFailureThreshold, kItemReaderFailed,
      kResultWriterFailed, kQueryEvaluationError, kDataLimitExceeded,
      kRuntime};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

bool matches(std::string_view pattern, std::string_view error) {
  // AWS: States.Runtime is never retried or caught, not even when named explicitly
  // (conformance: error_handling test_catch_states_runtime).
  if (error == kRuntime) return false;
  if (pattern == kAll) return true;
  if (pattern == kTaskFailed) return error != kTimeout;
  return pattern == error;
}

bool matches_any(std::span<const std::string> error_equals, std::string_view error) {
  return std::any_of(error_equals.begin(), error_equals.end(),
                     [&](const std::string& pattern) { return matches(pattern, error); });
}

}  // namespace flowstate::asl::error_name
