// flowstate: run Amazon States Language state machines from the command line.
// main wires the subcommands together and maps what escapes them to exit codes.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "engine/store/store_error.hpp"
#include "tools/flowstate/execution_commands.hpp"
#include "tools/flowstate/exit_code.hpp"
#include "tools/flowstate/inspect_commands.hpp"
#include "tools/flowstate/run_command.hpp"
#include "tools/flowstate/validate_command.hpp"

int main(int argc, char** argv) {
  using namespace flowstate::cli;
  CLI::App app{"flowstate: a local runtime for AWS Step Functions state machines"};
  app.require_subcommand(1);
  RunOptions run;
  ValidateOptions validate;
  ExecutionCommandOptions execution;
  InspectOptions inspect;
  add_run_command(app, run);
  add_validate_command(app, validate);
  add_execution_commands(app, execution);
  add_inspect_commands(app, inspect);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : to_int(ExitCode::invalid_input);
  }
  std::string line = command_line(argc, argv);
  try {
    if (app.got_subcommand("run")) return to_int(run_command(run, line));
    if (app.got_subcommand("validate")) return to_int(validate_command(validate));
    for (const char* name : {"resume", "redrive", "stop"})
      if (app.got_subcommand(name)) return to_int(execution_command(name, execution, line));
    for (const char* name : {"list", "describe", "history", "logs"})
      if (app.got_subcommand(name)) return to_int(inspect_command(name, inspect));
  } catch (const flowstate::store::StoreError& error) {
    std::cerr << "flowstate: " << error.what() << '\n';
    return to_int(ExitCode::internal_error);
  } catch (const std::exception& error) {
    std::cerr << "flowstate: internal error: " << error.what() << '\n';
    return to_int(ExitCode::internal_error);
  }
  return to_int(ExitCode::invalid_input);
}
