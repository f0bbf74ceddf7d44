// The flowstate CLI's exit codes (DESIGN.md, "CLI conventions").
#pragma once

#include "engine/runtime/execution.hpp"

namespace flowstate::cli {

enum class ExitCode {
  succeeded = 0,         ///< the execution SUCCEEDED (or validation passed)
  execution_failed = 1,  ///< FAILED, TIMED_OUT or ABORTED
  invalid_input = 2,     ///< bad usage, invalid definition or input: nothing was started
  internal_error = 3,    ///< store or internal error
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

/// 0 for SUCCEEDED, 1 for FAILED, TIMED_OUT or ABORTED (and a RUNNING one left behind).
inline ExitCode exit_code_of(runtime::ExecutionStatus status) {
  return status == runtime::ExecutionStatus::succeeded ? ExitCode::succeeded
                                                       : ExitCode::execution_failed;
}

}  // namespace flowstate::cli
