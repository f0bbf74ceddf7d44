// The mock options of `run` and `redrive` (--mock-config FILE --test-case NAME): Task states
// answered from an AWS Step Functions Local mock configuration file instead of their
// resource, and loading that file with clear errors.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "engine/definition/plan.hpp"
#include "engine/tasks/mock_config.hpp"

namespace flowstate::cli {

struct MockSettings {
  std::string config;     ///< --mock-config; "" when not given
  std::string test_case;  ///< --test-case
};

/// `redrive` takes either option alone: what is not given stays as the execution recorded it.
void add_mock_options(CLI::App& command, MockSettings& settings, bool redrive = false);

/// The loaded file and the test case of `machine` in it. Prints one line naming what is wrong
/// and returns nullopt when the file cannot be read or checked, when --test-case is missing
/// or names no test case of `machine`, or, given the machine's `states`, when the test case
/// mocks a state they do not have: a test case maps the machine's state names to responses
/// (sfn-local-test-sm-exec), so a misspelt name would leave its state unmocked unnoticed.
struct LoadedMocks {
  tasks::MockConfig config;
  std::string path;  ///< absolute, as the execution records it
  const tasks::MockedStates* states = nullptr;
};
std::optional<LoadedMocks> load_mocks(const MockSettings& settings, const std::string& machine,
                                      const definition::StateMachine* states = nullptr);

}  // namespace flowstate::cli
