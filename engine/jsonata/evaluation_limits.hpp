// EvaluationLimits: how deep and how long one evaluation may run before it fails with U1001
// (a runaway recursion or loop must fail, never crash or hang the runtime).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace flowstate::jsonata {

struct EvaluationLimits {
  /// Nested evaluations (syntax nodes and function calls) allowed at once. The default keeps
  /// the native stack use of a runaway recursion far below a thread's 8 MiB.
  std::size_t max_depth = 2000;
  std::optional<std::chrono::milliseconds> time_limit;
};

}  // namespace flowstate::jsonata
