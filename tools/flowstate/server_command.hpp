// `flowstate server`: the AWS Step Functions JSON 1.0 API on one address (loopback by
// default), running every execution through one ExecutionHost on the store it holds the
// writer lock of, until SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/lambda_settings.hpp"
#include "tools/flowstate/store_settings.hpp"
#include "tools/flowstate/substitution_settings.hpp"

namespace flowstate::cli {

struct ServerOptions {
  std::string listen = "127.0.0.1:8083";
  bool no_auth = false;
  std::string credentials;  ///< --credentials: verify every request's SigV4 signature
  std::string mock_config;  ///< --mock-config, else $SFN_MOCK_CONFIG
  bool skip_waits = false;  ///< --skip-waits, or $WAIT_TIME_SCALE=0
  bool quiet = false;
  std::uint64_t seed = 0;
  unsigned activity_poll = 60;  ///< --activity-poll: seconds a GetActivityTask waits for a task
  StoreSettings store;
  LambdaSettings lambda;
  SubstitutionSettings substitutions;
};

void add_server_command(CLI::App& app, ServerOptions& options);
ExitCode server_command(const ServerOptions& options, const std::string& command_line);

}  // namespace flowstate::cli
