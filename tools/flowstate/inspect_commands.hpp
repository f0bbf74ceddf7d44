// The read-only commands on the store: `list [--status S]`, `describe ID`, `history ID`
// and `logs ID [--state NAME]`. They open the store as a reader, so they work while another
// process runs executions in it.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/store_settings.hpp"

namespace flowstate::cli {

struct InspectOptions {
  std::string execution;
  std::string status;
  std::string format = "text";
  std::string state;
  std::string map_run;  ///< list: a Map Run's ARN
  StoreSettings store;
};

void add_inspect_commands(CLI::App& app, InspectOptions& options);
ExitCode inspect_command(std::string_view name, const InspectOptions& options);

}  // namespace flowstate::cli
