// `flowstate run FILE`: compile a definition and run one execution to its end, in memory.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"

namespace flowstate::cli {

struct RunOptions {
  std::string file;
  std::string input_json;
  std::string input_file;
  std::string name;
  std::string format = "text";
  bool skip_waits = false;
  bool quiet = false;
  std::uint64_t seed = 0;
};

void add_run_command(CLI::App& app, RunOptions& options);
ExitCode run_command(const RunOptions& options);

}  // namespace flowstate::cli
