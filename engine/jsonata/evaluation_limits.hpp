// EvaluationLimits: how deep and how long one evaluation may run before it fails with U1001
// (a runaway recursion or loop must fail, never crash or hang the runtime).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace flowstate::jsonata {

struct EvaluationLimits {
  /// Nested evaluations of syntax nodes allowed at once. One level takes up to about 1.5 KiB
  /// of native stack (measured: 5,000 levels fit in 8 MiB, 10,000 do not), so the default
  /// keeps a runaway recursion under 2 MiB. Tail calls do not nest.
  std::size_t max_depth = 1000;
  /// Wall-clock budget of one evaluation, checked every 1,024 nested evaluations.
  std::optional<std::chrono::milliseconds> time_limit;
};

}  // namespace flowstate::jsonata
