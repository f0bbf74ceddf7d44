// The commands that answer a callback Task from outside the process running it, as the
// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat calls do on AWS:
// `send-task-success TOKEN --output JSON`, `send-task-failure TOKEN [--error E] [--cause C]`,
// `send-task-heartbeat TOKEN`. Against the store (the running process is signalled), or with
// `--endpoint URL` through a server's SendTask* actions.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/store_settings.hpp"

namespace flowstate::cli {

struct TaskTokenOptions {
  std::string token;
  std::string output;       ///< send-task-success: JSON text
  std::string output_file;  ///< or a file holding it ('-': stdin)
  std::string error;  ///< send-task-failure, when has_error (AWS allows none)
  std::string cause;
  bool has_error = false;
  bool has_cause = false;
  std::string endpoint;  ///< --endpoint: a flowstate server (or Step Functions Local) URL
  StoreSettings store;
};

void add_task_token_commands(CLI::App& app, TaskTokenOptions& options);
ExitCode task_token_command(std::string_view name, const TaskTokenOptions& options);

}  // namespace flowstate::cli
