// `flowstate run FILE`: compile a definition and run one execution to its end, recorded in
// the store (or, with --no-store, in memory only).
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/lambda_settings.hpp"
#include "tools/flowstate/mock_settings.hpp"
#include "tools/flowstate/store_settings.hpp"
#include "tools/flowstate/substitution_settings.hpp"

namespace flowstate::cli {

struct RunOptions {
  std::string file;
  std::string input_json;
  std::string input_file;
  std::string name;
  std::string machine_name;  ///< --machine-name; "" → the definition file's name
  std::string format = "text";
  bool skip_waits = false;
  bool quiet = false;
  std::string progress = "auto";  ///< --progress (progress_option.hpp)
  bool no_store = false;
  std::uint64_t seed = 0;
  StoreSettings store;
  MockSettings mocks;
  LambdaSettings lambda;
  SubstitutionSettings substitutions;
};

void add_run_command(CLI::App& app, RunOptions& options);
ExitCode run_command(const RunOptions& options, const std::string& command_line);

}  // namespace flowstate::cli
