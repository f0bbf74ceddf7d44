#include "tools/flowstate/test_state_command.hpp"

#include <exception>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/definition/definition_substitutions.hpp"
#include "engine/definition/state_test_definition.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/runtime/state_test.hpp"
#include "engine/tasks/command_task.hpp"
#include "tools/flowstate/file_argument.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// `text` as JSON, or nullopt after saying on stderr which option holds what.
std::optional<json::value> json_argument(std::string_view option, const std::string& text) {
  auto value = data::parse_json(text);
  if (!value) {
    std::cerr << fmt::format("flowstate: {}:{}:{}: error: not valid JSON: {}\n", option, value.error().line,
                             value.error().column, value.error().message);
    return std::nullopt;
  }
  return std::move(*value);
}

}  // namespace

void add_test_state_command(CLI::App& app, TestStateOptions& options) {
  CLI::App* command = app.add_subcommand(
      "test-state", "Run one state of a definition as AWS's TestState does; print TestState's response JSON");
  command->add_option("FILE", options.file, "the state machine's definition (YAML or JSON)")->required();
  command->add_option("--state", options.state, "the state to test, at any depth")->required();
  command->add_option("--input", options.input, "the state's input as JSON text (default {})");
  auto* result = command->add_option("--result", options.result,
                                     "a Task's (Map's, Parallel's) result as JSON, in place of running it");
  auto* error = command->add_option("--error", options.error, "or the error it fails with")->excludes(result);
  command->add_option("--cause", options.cause, "the error's cause")->needs(error);
  command->add_option("--variables", options.variables, "the workflow variables the state sees, a JSON object");
  command->add_option("--inspection-level", options.inspection_level, "INFO (default), DEBUG or TRACE")
      ->check(CLI::IsMember({"INFO", "DEBUG", "TRACE"}));
  command->add_option("--retry-count", options.retry_count,
                      "retries the matching retrier has made already (stateConfiguration.retrierRetryCount)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--machine-name", options.machine_name,
                      "the state machine's name ($$.StateMachine.Name; default: the file's name without .json, "
                      ".yaml, .yml and .asl)");
  add_substitution_options(*command, options.substitutions);
}

ExitCode test_state_command(const TestStateOptions& options) {
  auto text = read_file_argument(options.file, "definition");
  if (!text) return ExitCode::invalid_input;
  auto substitutions = load_substitutions(options.substitutions);
  if (!substitutions) return ExitCode::invalid_input;
  definition::Diagnostics diagnostics;
  std::string filled = definition::fill_placeholders(*text, *substitutions, options.file, diagnostics);
  auto compiled = diagnostics.empty() ? definition::compile_state_test_definition(filled, options.file, options.state,
                                                                                  diagnostics)
                                      : std::nullopt;
  for (const auto& diagnostic : diagnostics.sorted()) std::cerr << to_string(diagnostic) << '\n';
  if (!compiled) return ExitCode::invalid_input;
  if (!options.machine_name.empty()) {
    if (auto problem = durable::name_problem(options.machine_name)) {
      std::cerr << fmt::format("flowstate: error: --machine-name '{}' {}\n", options.machine_name, *problem);
      return ExitCode::invalid_input;
    }
    compiled->plan.name = options.machine_name;
  }

  runtime::StateTestRequest request;
  request.state = options.state;
  auto input = json_argument("--input", options.input);
  if (!input) return ExitCode::invalid_input;
  request.input = std::move(*input);
  if (!options.variables.empty()) {
    auto variables = json_argument("--variables", options.variables);
    if (!variables) return ExitCode::invalid_input;
    if (!variables->is_object()) {
      std::cerr << "flowstate: --variables: error: the variables are a JSON object, e.g. {\"count\": 1}\n";
      return ExitCode::invalid_input;
    }
    request.variables = std::move(variables->as_object());
  }
  if (!options.result.empty()) {
    auto result = json_argument("--result", options.result);
    if (!result) return ExitCode::invalid_input;
    request.mock = tasks::MockedOutcome{std::move(*result), {}};
  } else if (!options.error.empty()) {
    request.mock = tasks::MockedOutcome{
        std::nullopt, asl::Failure(options.error, options.cause.empty() ? std::nullopt
                                                                        : std::optional<std::string>(options.cause))};
  }
  request.retrier_retry_count = options.retry_count;
  request.level = *runtime::parse_inspection_level(options.inspection_level);
  if (auto refusal = runtime::state_test_refusal(compiled->plan, request)) {
    std::cerr << fmt::format("flowstate: error: {}\n", *refusal);
    return ExitCode::invalid_input;
  }

  // A Task without --result or --error runs for real, as `flowstate run` would run it.
  tasks::ResourceRegistry resources;
  resources.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  asio::io_context io;
  std::optional<runtime::StateTestResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io, runtime::test_state(compiled->plan, std::move(request), &resources),
                 [&](std::exception_ptr error, runtime::StateTestResult done) {
                   failure = error;
                   if (!error) result = std::move(done);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  auto level = *runtime::parse_inspection_level(options.inspection_level);
  std::cout << data::serialize_json_pretty(runtime::test_state_response(*result, level, options.input)) << '\n';
  return ExitCode::succeeded;
}

}  // namespace flowstate::cli
