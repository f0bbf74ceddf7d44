#include "tools/flowstate/run_command.hpp"

#include <csignal>
#include <iostream>
#include <span>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/durable/nested_execution.hpp"
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/lambda_invoke.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "tools/flowstate/definition_loading.hpp"
#include "tools/flowstate/execution_driver.hpp"
#include "tools/flowstate/file_argument.hpp"
#include "tools/flowstate/result_format.hpp"
#include "tools/flowstate/served_store.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace json = boost::json;

void add_run_command(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run a state machine definition (YAML or JSON) and "
                                            "print its output");
  run->add_option("FILE", options.file, "the definition file")->required();
  // An empty --input is refused, not read as {}: `--input "$PAYLOAD"` with PAYLOAD unset in a
  // CI job must not start an execution.
  auto* input = run->add_option("--input", options.input_json, "the execution input as JSON text "
                                                               "(default: {})")
                    ->check(CLI::Validator(
                        [](const std::string& text) {
                          return text.empty() ? std::string("the input is empty (an unset variable?); give "
                                                            "JSON text, e.g. '{}'")
                                              : std::string();
                        },
                        "JSON"));
  run->add_option("--input-file", options.input_file, "read the execution input from a file ('-' "
                                                      "for stdin)")
      ->excludes(input);
  run->add_option("--name", options.name, "the execution name (default: generated)");
  run->add_option("--format", options.format, "how to print the result: text (the output JSON), "
                                              "json (a result object), aws (DescribeExecution)")
      ->check(CLI::IsMember({"text", "json", "aws"}));
  run->add_flag("--skip-waits", options.skip_waits, "do not sleep in Wait states or between "
                                                    "retries (tests, CI)");
  run->add_flag("--quiet,-q", options.quiet, "print no progress or task logs on stderr");
  run->add_option("--seed", options.seed, "seed for retry jitter (default: random)");
  run->add_flag("--no-store", options.no_store,
                "run in memory only: nothing is kept, so the execution cannot be resumed, "
                "redriven or inspected, and nested state machines are not available");
  add_store_options(*run, options.store, /*writer=*/true);
  add_mock_options(*run, options.mocks);
  add_lambda_options(*run, options.lambda, LambdaOptionFor::run);
}

namespace {

std::optional<std::string> read_input_text(const RunOptions& options) {
  if (!options.input_json.empty()) return options.input_json;
  if (options.input_file.empty()) return std::string("{}");
  return read_file_argument(options.input_file, "input");
}

constexpr std::string_view kServed[] = {tasks::kCommandResource, durable::kStartExecution,
                                        durable::kStartExecutionSync, durable::kStartExecutionSync2};

// --no-store: the execution runs in memory; nothing is kept.
durable::ExecutionRecord run_in_memory(const definition::Plan& plan, json::value input,
                                       const RunOptions& options, const LoadedMocks* mocks,
                                       const std::optional<tasks::LambdaEndpoint>& lambda) {
  runtime::RealClock real_clock;
  runtime::SkipWaitsClock skip_clock;
  tasks::ResourceRegistry registry;
  registry.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  if (lambda) tasks::add_lambda_invoke(registry, *lambda);
  durable::ExecutionRecord record;
  record.name = options.name.empty() ? "in-memory" : options.name;
  record.machine = plan.name;
  record.input = input;
  runtime::ExecutionOptions execution;
  execution.name = record.name;
  execution.clock = options.skip_waits ? static_cast<runtime::Clock*>(&skip_clock) : &real_clock;
  execution.resources = &registry;
  std::optional<tasks::TaskMocks> task_mocks;
  if (mocks) execution.mocks = &task_mocks.emplace(*mocks->states);
  execution.seed = options.seed;
  if (!options.quiet) {
    execution.on_task_log = [](std::string_view state, std::string_view line) {
      std::cerr << '[' << state << "] " << line << '\n';
    };
  }
  asio::io_context io;
  asio::cancellation_signal stop;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (!error) stop.emit(asio::cancellation_type::terminal);
  });
  std::optional<runtime::ExecutionResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io, runtime::run_execution(plan, std::move(input), std::move(execution)),
                 asio::bind_cancellation_slot(
                     stop.slot(), [&](std::exception_ptr error, runtime::ExecutionResult done) {
                       failure = error;
                       if (!error) result = std::move(done);
                       signals.cancel();
                     }));
  io.run();
  if (failure) std::rethrow_exception(failure);
  record.status = result->status;
  record.output = std::move(result->output);
  if (result->failure) {
    record.error = result->failure->error;
    record.cause = result->failure->cause;
  }
  record.start = result->start;
  record.stop = result->stop;
  return record;
}

}  // namespace

ExitCode run_command(const RunOptions& options, const std::string& command_line) {
  auto lambda = choose_lambda_endpoint(options.lambda, {});
  if (!lambda) return ExitCode::invalid_input;
  ServedResources served{kServed, lambda->endpoint.has_value()};
  if (options.no_store) served.arns = served.arns.first(1);
  auto format = parse_result_format(options.format).value_or(ResultFormat::text);
  auto diagnostics = format == ResultFormat::json ? DiagnosticOutput::lines_and_json : DiagnosticOutput::lines;
  auto definition = load_definition(options.file, diagnostics);
  if (!definition) return ExitCode::invalid_input;
  std::optional<LoadedMocks> mocks;
  if (!options.mocks.config.empty()) {
    mocks = load_mocks(options.mocks, definition->plan.name, &definition->plan.machine);
    if (!mocks) return ExitCode::invalid_input;
  }
  if (!check_runnable(*definition, served, mocks ? mocks->states : nullptr, diagnostics))
    return ExitCode::invalid_input;

  auto input_text = read_input_text(options);
  if (!input_text) return ExitCode::invalid_input;
  auto input = data::parse_json(*input_text);
  if (!input) {
    std::string source = options.input_file.empty() ? "--input" : options.input_file;
    std::cerr << fmt::format("flowstate: {}:{}:{}: error: the input is not valid JSON: {}\n",
                             source, input.error().line, input.error().column,
                             input.error().message);
    return ExitCode::invalid_input;
  }
  if (data::serialized_size_exceeds(*input, asl::kMaxPayloadBytes)) {
    std::cerr << fmt::format("flowstate: error: the input is larger than {} bytes, the limit AWS "
                             "Step Functions sets for an execution input\n",
                             asl::kMaxPayloadBytes);
    return ExitCode::invalid_input;
  }

  if (options.no_store) {
    auto record = run_in_memory(definition->plan, std::move(*input), options,
                                mocks ? &*mocks : nullptr, lambda->endpoint);
    print_result(record, {format, options.quiet}, std::cout, std::cerr);
    return exit_code_of(record.status);
  }

  // A server holds the store: it runs the execution, and this process follows it.
  if (auto server = serving_server(options.store)) {
    if (options.seed != 0)
      std::cerr << fmt::format("flowstate: warning: --seed is not applied: the execution runs in the server "
                               "(pid {}), with its retry jitter\n",
                               server->pid);
    json::object request{{"definitionFile", std::filesystem::absolute(options.file).lexically_normal().string()},
                         {"definition", definition->source.text},
                         {"input", *input_text},
                         {"skipWaits", options.skip_waits},
                         {"workingDirectory", std::filesystem::current_path().string()}};
    if (!options.name.empty()) request["name"] = options.name;
    if (mocks) {
      request["mockConfig"] = mocks->path;
      request["testCase"] = options.mocks.test_case;
    }
    if (lambda->endpoint) request["lambdaEndpoint"] = lambda->endpoint->url;
    return run_in_server(*server, options.store, "StartDefinition", request, options.quiet, format);
  }

  // Deferred: a run that reads nothing from the store (no --name, no nested machine) never
  // opens RocksDB; its batches go to a journal that the next reader or writer picks up.
  auto store = open_store(options.store, store::AccessMode::write, command_line, /*deferred=*/true);
  ExecutionDriver driver(*store, DriveSettings{options.quiet, options.seed, mocks ? &mocks->config : nullptr,
                                               mocks ? mocks->path : std::string(),
                                               lambda->endpoint ? &*lambda->endpoint : nullptr, {}});
  durable::NewExecution request;
  request.definition = std::move(definition->source);
  request.plan = std::make_unique<definition::Plan>(std::move(definition->plan));
  request.input = std::move(*input);
  request.name = options.name;
  if (mocks) {
    request.mock_config = mocks->path;
    request.test_case = options.mocks.test_case;
  }
  if (lambda->endpoint) request.lambda_endpoint = lambda->endpoint->url;
  request.skip_waits = options.skip_waits;
  request.working_directory = std::filesystem::current_path().string();
  durable::ExecutionRecord created;
  try {
    created = driver.host().create(std::move(request));
  } catch (const durable::ExecutionRefused& refused) {
    std::cerr << "flowstate: " << refused.what() << '\n';
    return ExitCode::invalid_input;
  }
  auto record = driver.drive([&](durable::ExecutionHost& host) { return host.run(std::move(created)); });
  print_result(record, {format, options.quiet}, std::cout, std::cerr);
  return exit_code_of(record.status);
}

}  // namespace flowstate::cli
