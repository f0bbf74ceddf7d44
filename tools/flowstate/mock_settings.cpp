#include "tools/flowstate/mock_settings.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

namespace flowstate::cli {

void add_mock_options(CLI::App& command, MockSettings& settings, bool redrive) {
  auto* config = command.add_option(
      "--mock-config", settings.config,
      redrive ? "answer Task states from this mock configuration file instead of the one the "
                "execution ran with"
              : "answer Task states from this mock configuration file (AWS Step Functions "
                "Local's MockConfigFile format) instead of their resources");
  auto* test_case = command.add_option(
      "--test-case", settings.test_case,
      redrive ? "use this test case of the mock configuration instead of the one the execution "
                "ran with"
              : "the test case of the mock configuration to use (for the state machine named "
                "like the definition file)");
  if (!redrive) test_case->needs(config);
}

std::optional<LoadedMocks> load_mocks(const MockSettings& settings, const std::string& machine,
                                      const definition::StateMachine* states) {
  auto config = tasks::MockConfig::load(settings.config);
  if (!config) {
    std::cerr << "flowstate: error: " << config.error() << '\n';
    return std::nullopt;
  }
  std::string names = config->test_case_names(machine);
  if (settings.test_case.empty()) {
    std::cerr << fmt::format("flowstate: error: --mock-config needs --test-case NAME; {}\n",
                             names.empty() ? fmt::format("{} has no test cases for state machine "
                                                         "'{}' (it names {})",
                                                         settings.config, machine,
                                                         config->machine_names())
                                           : fmt::format("the test cases of '{}' in {} are {}",
                                                         machine, settings.config, names));
    return std::nullopt;
  }
  LoadedMocks loaded{std::move(*config),
                     std::filesystem::absolute(settings.config).lexically_normal().string(), nullptr};
  loaded.states = loaded.config.test_case(machine, settings.test_case);
  if (!loaded.states) {
    std::cerr << fmt::format(
        "flowstate: error: {}: no test case '{}' for state machine '{}' (the state machine is "
        "named after the definition file); {}\n",
        settings.config, settings.test_case, machine,
        names.empty() ? fmt::format("StateMachines names {}", loaded.config.machine_names())
                      : fmt::format("its test cases are {}", names));
    return std::nullopt;
  }
  if (states) {
    for (const auto& [state, response] : *loaded.states) {
      if (states->defines(state)) continue;
      std::cerr << fmt::format("flowstate: error: {}: test case '{}' of state machine '{}' mocks state "
                               "'{}', which its definition does not have; name a state of the "
                               "definition, or remove it from the test case\n",
                               settings.config, settings.test_case, machine, state);
      return std::nullopt;
    }
  }
  return loaded;
}

}  // namespace flowstate::cli
