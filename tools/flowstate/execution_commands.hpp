// The commands that act on a recorded execution: `resume ID`, `redrive ID [--from STATE]
// [--dry-run]` and `stop ID`. ID is an execution's id or its name.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/lambda_settings.hpp"
#include "tools/flowstate/mock_settings.hpp"
#include "tools/flowstate/store_settings.hpp"

namespace flowstate::cli {

struct ExecutionCommandOptions {
  std::string execution;
  std::string from;
  bool dry_run = false;
  std::string format = "text";
  bool skip_waits = false;
  bool quiet = false;
  std::string progress = "auto";  ///< --progress (progress_option.hpp)
  std::uint64_t seed = 0;
  double stop_wait_seconds = 30;
  StoreSettings store;
  MockSettings mocks;  ///< redrive only
  LambdaSettings lambda;
};

void add_execution_commands(CLI::App& app, ExecutionCommandOptions& options);
ExitCode execution_command(std::string_view name, const ExecutionCommandOptions& options,
                           const std::string& command_line);

}  // namespace flowstate::cli
