// `flowstate validate FILE...`: check definitions without running them, as `flowstate run`
// with the same options checks them before it starts; every problem is printed as
// "file:line:col: error: message", and what AWS would not deploy as written as a warning.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/lambda_settings.hpp"
#include "tools/flowstate/mock_settings.hpp"
#include "tools/flowstate/substitution_settings.hpp"

namespace flowstate::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string machine_name;  ///< --machine-name; "" → each file's name
  SubstitutionSettings substitutions;
  MockSettings mocks;
  LambdaSettings lambda;
};

void add_validate_command(CLI::App& app, ValidateOptions& options);
ExitCode validate_command(const ValidateOptions& options);

}  // namespace flowstate::cli
