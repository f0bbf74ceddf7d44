// `flowstate validate FILE...`: check definitions without running them; every problem is
// printed as "file:line:col: error: message".
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"

namespace flowstate::cli {

struct ValidateOptions {
  std::vector<std::string> files;
};

void add_validate_command(CLI::App& app, ValidateOptions& options);
ExitCode validate_command(const ValidateOptions& options);

}  // namespace flowstate::cli
