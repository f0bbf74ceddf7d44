// RunSettings: how an execution runs besides its definition and input — its mocks, Lambda
// endpoint, waits and working directory. Chosen once when it starts (CLI flags, a server's
// settings), recorded with it, and inherited by its nested children, a resume and a redrive.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "engine/definition/definition_substitutions.hpp"

namespace flowstate::durable {

struct RunSettings {
  /// The mock configuration file (absolute) and test case (--mock-config, --test-case).
  /// No test case: nothing is mocked.
  std::string mock_config;
  std::string test_case;
  /// The Lambda endpoint (--lambda-endpoint URL) that serves its Lambda functions. Empty:
  /// Lambda functions are served only by mocks.
  std::string lambda_endpoint;
  /// Wait states and retry back-off do not sleep (--skip-waits).
  bool skip_waits = false;
  /// Where its command tasks run (the directory `flowstate run` ran in). Empty: the working
  /// directory of the process.
  std::string working_directory;
  /// The values of the definition's ${Name} placeholders (--substitute, --substitutions):
  /// its text is stored filled, and a child's definition read from a file is filled with them.
  definition::Substitutions substitutions;

  bool operator==(const RunSettings&) const = default;
};

/// Adds the settings that are set to `out` as members "mockConfig", "testCase",
/// "lambdaEndpoint", "skipWaits", "workingDirectory" and "substitutions" ({NAME: VALUE}) —
/// in an execution record, and in a request to the server that holds the store.
void add_run_settings(const RunSettings& settings, boost::json::object& out);
/// The settings those members of `object` hold (absent members, and substitutions that are
/// not strings: unset).
RunSettings run_settings_from_json(const boost::json::object& object);

}  // namespace flowstate::durable
