// `flowstate test [PATH...] [-j N] [--junit FILE] [--coverage] [--min-coverage N]`: runs the
// cases of test files (test_file.hpp) in memory, several at once on one execution host,
// prints one line per case (a failure with expected and actual), and optionally a JUnit XML
// report, GitHub Actions annotations and the coverage of the definitions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/lambda_settings.hpp"

namespace flowstate::cli {

struct TestOptions {
  std::vector<std::string> paths;  ///< test files or folders; default "."
  std::size_t jobs = 4;            ///< cases running at once
  std::string junit;               ///< --junit FILE
  bool real_waits = false;         ///< Wait states and retry back-off sleep (default: skipped)
  bool verbose = false;            ///< task log lines and every case's history on stderr
  bool coverage = false;           ///< print what the cases reached in each definition
  double min_coverage = 0;         ///< --min-coverage N: exit 1 below N percent
  LambdaSettings lambda;
};

void add_test_command(CLI::App& app, TestOptions& options);
/// 0: every case passed; 1: a case failed, or the coverage is below --min-coverage; 2: a test file (or its definition, or a mock) is
/// wrong, so its cases could not run.
ExitCode test_command(const TestOptions& options);

}  // namespace flowstate::cli
