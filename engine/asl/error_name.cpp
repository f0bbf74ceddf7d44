#include "engine/asl/error_name.hpp"

#include <algorithm>

namespace flowstate::asl::error_name {

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
