// CoverageRecorder: what `flowstate test --coverage` counts while executions run — each state
// entered, each Choice rule or Default taken, each Catcher that caught and each Retrier that
// retried. Null in ordinary runs: the runtime then only tests a pointer.
#pragma once

#include <cstddef>

namespace flowstate::definition {
struct CompiledState;
}

namespace flowstate::runtime {

enum class CoveragePoint {
  entered,         ///< the state was entered
  choice_rule,     ///< Choices[index] matched
  choice_default,  ///< no rule matched and the Default was taken
  catcher,         ///< Catch[index] caught the state's error
  retrier,         ///< Retry[index] retried the state
};

class CoverageRecorder {
 public:
  virtual ~CoverageRecorder() = default;
  /// `state` belongs to the plan the execution runs (its address identifies it).
  virtual void reached(const definition::CompiledState& state, CoveragePoint point, std::size_t index) = 0;
};

}  // namespace flowstate::runtime
