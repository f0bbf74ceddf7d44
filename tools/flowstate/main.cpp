// flowstate: run Amazon States Language state machines from the command line.
// main wires the subcommands together and maps what escapes them to exit codes.
#include <algorithm>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "engine/store/store_error.hpp"
#include "tools/flowstate/execution_commands.hpp"
#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/inspect_commands.hpp"
#include "tools/flowstate/run_command.hpp"
#include "tools/flowstate/server_command.hpp"
#include "tools/flowstate/task_token_commands.hpp"
#include "tools/flowstate/test_command.hpp"
#include "tools/flowstate/test_state_command.hpp"
#include "tools/flowstate/validate_command.hpp"
#include "tools/flowstate/version.hpp"

int main(int argc, char** argv) {
  using namespace flowstate::cli;
  CLI::App app{"flowstate: a local runtime for AWS Step Functions state machines"};
  app.require_subcommand(1);
  RunOptions run;
  ValidateOptions validate;
  ExecutionCommandOptions execution;
  InspectOptions inspect;
  TaskTokenOptions task_token;
  ServerOptions server;
  TestStateOptions test_state;
  TestOptions test;
  // CLI11 builds every option it is given, which is a fifth of a one-state `run`'s start-up
  // when every subcommand is registered; a command line that names a subcommand gets only
  // that subcommand's group. Anything else (--help, a typo) gets all of them, so help and
  // errors read as before.
  const std::string_view first = argc > 1 ? argv[1] : "";
  const std::initializer_list<std::string_view> groups[] = {
      {"run"}, {"validate"}, {"resume", "redrive", "stop"}, {"list", "describe", "history", "logs"},
      {"send-task-success", "send-task-failure", "send-task-heartbeat"}, {"server"}, {"test-state"}, {"test"}};
  const auto in = [](std::initializer_list<std::string_view> names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  const bool named = std::any_of(std::begin(groups), std::end(groups), [&](auto names) { return in(names, first); });
  if (!named && !first.empty() && first.front() != '-') {
    // CLI11 would say "A subcommand is required", which hides the typo.
    std::string commands;
    for (const auto& names : groups)
      for (std::string_view name : names) commands += (commands.empty() ? "" : ", ") + std::string(name);
    std::cerr << "flowstate: unknown command '" << first << "'; the commands are " << commands
              << " (flowstate --help describes them)\n";
    return to_int(ExitCode::invalid_input);
  }
  app.set_version_flag("--version", version_text());
  const auto wanted = [&](std::size_t group) { return !named || in(groups[group], first); };
  if (wanted(0)) add_run_command(app, run);
  if (wanted(1)) add_validate_command(app, validate);
  if (wanted(2)) add_execution_commands(app, execution);
  if (wanted(3)) add_inspect_commands(app, inspect);
  if (wanted(4)) add_task_token_commands(app, task_token);
  if (wanted(5)) add_server_command(app, server);
  if (wanted(6)) add_test_state_command(app, test_state);
  if (wanted(7)) add_test_command(app, test);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : to_int(ExitCode::invalid_input);
  }
  std::string line = command_line(argc, argv);
  try {
    const std::string& name = app.get_subcommands().front()->get_name();
    if (in(groups[0], name)) return to_int(run_command(run, line));
    if (in(groups[1], name)) return to_int(validate_command(validate));
    if (in(groups[2], name)) return to_int(execution_command(name, execution, line));
    if (in(groups[3], name)) return to_int(inspect_command(name, inspect));
    if (in(groups[4], name)) return to_int(task_token_command(name, task_token));
    if (in(groups[5], name)) return to_int(server_command(server, line));
    if (in(groups[6], name)) return to_int(test_state_command(test_state));
    if (in(groups[7], name)) return to_int(test_command(test));
  } catch (const flowstate::store::StoreError& error) {
    std::cerr << "flowstate: " << error.what() << '\n';
    return to_int(ExitCode::internal_error);
  } catch (const std::exception& error) {
    std::cerr << "flowstate: internal error: " << error.what() << '\n';
    return to_int(ExitCode::internal_error);
  }
  return to_int(ExitCode::invalid_input);
}
