// The flowstate CLI's exit codes (DESIGN.md, "CLI conventions").
#pragma once

namespace flowstate::cli {

enum class ExitCode {
  succeeded = 0,         ///< the execution SUCCEEDED (or validation passed)
  execution_failed = 1,  ///< FAILED, TIMED_OUT or ABORTED
  invalid_input = 2,     ///< bad usage, invalid definition or input: nothing was started
  internal_error = 3,    ///< store or internal error
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace flowstate::cli
