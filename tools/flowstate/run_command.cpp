#include "tools/flowstate/run_command.hpp"

#include <unistd.h>

#include <iostream>
#include <span>

#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/durable/nested_execution.hpp"
#include "engine/tasks/command_task.hpp"
#include "tools/flowstate/definition_loading.hpp"
#include "tools/flowstate/execution_driver.hpp"
#include "tools/flowstate/file_argument.hpp"
#include "tools/flowstate/progress_option.hpp"
#include "tools/flowstate/result_format.hpp"
#include "tools/flowstate/served_store.hpp"

namespace flowstate::cli {

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
  run->add_option("--machine-name", options.machine_name,
                  "the state machine's name (default: the file's name without .json, .yaml, .yml and "
                  ".asl); mock test cases and ARNs use it");
  run->add_option("--format", options.format, "how to print the result: text (the output JSON), "
                                              "json (a result object), aws (DescribeExecution)")
      ->check(CLI::IsMember({"text", "json", "aws"}));
  run->add_flag("--skip-waits", options.skip_waits, "do not sleep in Wait states or between "
                                                    "retries (tests, CI)");
  run->add_flag("--quiet,-q", options.quiet, "print no progress or task logs on stderr");
  add_progress_option(*run, options.progress);
  run->add_option("--seed", options.seed, "seed for retry jitter (default: random)");
  run->add_flag("--no-store", options.no_store,
                "run in memory only: nothing is kept, so the execution cannot be resumed, "
                "redriven or inspected, and nested state machines are not available");
  add_store_options(*run, options.store, /*writer=*/true);
  add_mock_options(*run, options.mocks);
  add_lambda_options(*run, options.lambda, LambdaOptionFor::run);
  add_substitution_options(*run, options.substitutions);
}

namespace {

std::optional<std::string> read_input_text(const RunOptions& options) {
  if (!options.input_json.empty()) return options.input_json;
  if (options.input_file.empty()) return std::string("{}");
  return read_file_argument(options.input_file, "input");
}

}  // namespace

ExitCode run_command(const RunOptions& options, const std::string& command_line) {
  auto format = parse_result_format(options.format).value_or(ResultFormat::text);
  auto substitutions = load_substitutions(options.substitutions);
  if (!substitutions) return ExitCode::invalid_input;
  DefinitionLoading loading{options.substitutions.given() ? &*substitutions : nullptr, options.machine_name};
  loading.output = format == ResultFormat::json ? DiagnosticOutput::lines_and_json : DiagnosticOutput::lines;
  auto startable = prepare_start(options.file, StartSettings{loading, &options.mocks, &options.lambda});
  if (!startable) return ExitCode::invalid_input;
  auto* definition = &startable->definition;
  auto* lambda = &startable->lambda;
  auto& mocks = startable->mocks;

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
  durable::RunSettings settings;
  if (mocks) {
    settings.mock_config = mocks->path;
    settings.test_case = options.mocks.test_case;
  }
  if (lambda->endpoint) settings.lambda_endpoint = lambda->endpoint->url;
  settings.skip_waits = options.skip_waits;
  settings.working_directory = std::filesystem::current_path().string();
  settings.substitutions = std::move(*substitutions);

  // A server holds the store: it runs the execution, and this process follows it.
  if (auto server = options.no_store ? std::nullopt : serving_server(options.store)) {
    if (options.seed != 0)
      std::cerr << fmt::format("flowstate: warning: --seed is not applied: the execution runs in the server "
                               "(pid {}), with its retry jitter\n",
                               server->pid);
    json::object request{{"definitionFile", std::filesystem::absolute(options.file).lexically_normal().string()},
                         {"definition", definition->source.text},
                         {"input", *input_text}};
    if (!options.name.empty()) request["name"] = options.name;
    request["machineName"] = definition->plan.name;
    durable::add_run_settings(settings, request);
    return run_in_server(*server, options.store, "StartDefinition", request, options.quiet,
                         progress_mode(options.progress, options.quiet, STDERR_FILENO), format);
  }

  // --no-store: the same host over a store in memory. Otherwise deferred: a run that reads
  // nothing from the store (no --name, no nested machine) never opens RocksDB; its batches
  // go to a journal that the next reader or writer picks up.
  auto store = options.no_store
                   ? store::Store::open_in_memory()
                   : open_store(options.store, store::AccessMode::write, command_line, /*deferred=*/true);
  DriveSettings drive{options.quiet, options.seed, mocks ? &mocks->config : nullptr,
                      mocks ? mocks->path : std::string(), lambda->endpoint ? &*lambda->endpoint : nullptr, {}};
  drive.progress = progress_mode(options.progress, options.quiet, STDERR_FILENO);
  ExecutionDriver driver(*store, drive);
  durable::NewExecution request;
  request.machine = definition->plan.name;
  request.definition = std::move(definition->source);
  request.plan = std::make_unique<definition::Plan>(std::move(definition->plan));
  request.input = std::move(*input);
  request.name = options.name;
  request.settings = std::move(settings);
  durable::ExecutionRecord created;
  try {
    created = driver.host().create(std::move(request));
  } catch (const durable::ExecutionRefused& refused) {
    std::cerr << "flowstate: " << refused.what() << '\n';
    return ExitCode::invalid_input;
  }
  auto record = driver.drive([&](durable::ExecutionHost& host) { return host.run(std::move(created)); });
  print_result(record, {format, options.quiet, !options.no_store}, std::cout, std::cerr);
  return exit_code_of(record.status);
}

}  // namespace flowstate::cli
