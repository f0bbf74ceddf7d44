// Succeed state: ends its execution, Parallel branch or Map iteration successfully with its
// (filtered) input as output. It has no fields beyond the shared InputPath/OutputPath.
#pragma once

#include <optional>

#include "engine/definition/field_reader.hpp"

namespace flowstate::states {

struct SucceedState {};

inline std::optional<SucceedState> compile_succeed_state(definition::FieldReader&) {
  return SucceedState{};
}

}  // namespace flowstate::states
