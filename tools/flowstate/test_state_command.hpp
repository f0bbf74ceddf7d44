// `flowstate test-state FILE --state NAME --input JSON [--result JSON | --error E [--cause C]]
// [--variables JSON] [--inspection-level INFO|DEBUG|TRACE] [--retry-count N]`: runs one state
// of a definition as AWS's TestState does and prints TestState's response JSON on stdout.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/substitution_settings.hpp"

namespace flowstate::cli {

struct TestStateOptions {
  std::string file;
  std::string state;
  std::string input = "{}";
  std::string result;  ///< a Task's (Map's, Parallel's) result, in place of running it
  std::string error;   ///< or the error it fails with, and its cause
  std::string cause;
  std::string variables;
  std::string inspection_level = "INFO";
  std::int64_t retry_count = 0;  ///< retries the matching retrier has made already
  std::string machine_name;      ///< --machine-name: $$.StateMachine.Name; "" → the file's name
  SubstitutionSettings substitutions;
};

void add_test_state_command(CLI::App& app, TestStateOptions& options);
/// 0 once the response is printed, whatever its status; 2 for a bad argument, definition or
/// input (nothing runs).
ExitCode test_state_command(const TestStateOptions& options);

}  // namespace flowstate::cli
