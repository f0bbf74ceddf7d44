#include "tools/flowstate/execution_commands.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/durable/store_event_sink.hpp"
#include "engine/tasks/task_processes.hpp"
#include "tools/flowstate/execution_driver.hpp"
#include "tools/flowstate/progress_option.hpp"
#include "tools/flowstate/result_format.hpp"
#include "tools/flowstate/served_store.hpp"

namespace flowstate::cli {

namespace fs = std::filesystem;

void add_execution_commands(CLI::App& app, ExecutionCommandOptions& options) {
  auto add_running_options = [&options](CLI::App* command) {
    command->add_option("--format", options.format, "how to print the result: text, json or aws")
        ->check(CLI::IsMember({"text", "json", "aws"}));
    command->add_flag("--skip-waits", options.skip_waits,
                      "do not sleep in Wait states or between retries");
    command->add_flag("--quiet,-q", options.quiet, "print no progress or task logs on stderr");
    add_progress_option(*command, options.progress);
    command->add_option("--seed", options.seed, "seed for retry jitter (default: random)");
    add_store_options(*command, options.store, /*writer=*/true);
    add_lambda_options(*command, options.lambda, LambdaOptionFor::recorded_execution);
  };
  CLI::App* resume = app.add_subcommand(
      "resume", "Continue a RUNNING execution whose process died, from its checkpoints");
  resume->add_option("ID", options.execution, "the execution's id or name")->required();
  add_running_options(resume);

  CLI::App* redrive = app.add_subcommand(
      "redrive", "Run a FAILED, TIMED_OUT or ABORTED execution again from where it failed, "
                 "reusing what succeeded (AWS redrive)");
  redrive->add_option("ID", options.execution, "the execution's id or name")->required();
  redrive->add_option("--from", options.from,
                      "run again from this top-level state, with the input it last had, even if it "
                      "succeeded");
  redrive->add_flag("--dry-run", options.dry_run, "print what would run again and what is reused");
  add_running_options(redrive);
  add_mock_options(*redrive, options.mocks, /*redrive=*/true);

  CLI::App* stop = app.add_subcommand("stop", "Stop a running execution (it ends ABORTED)");
  stop->add_option("ID", options.execution, "the execution's id or name")->required();
  stop->add_option("--wait", options.stop_wait_seconds,
                   "seconds to wait for it to stop (default: 30)");
  add_store_options(*stop, options.store, /*writer=*/true);
}

namespace {

std::optional<durable::ExecutionRecord> find_or_complain(const store::Store& store,
                                                         const std::string& execution) {
  auto record = durable::ExecutionCatalog(store).find(execution);
  if (!record)
    std::cerr << fmt::format("flowstate: no execution '{}' in store {}\n", execution,
                             store.directory().string());
  return record;
}

// A server holds the store: it resumes or redrives the execution, and this process follows it.
ExitCode drive_in_server(const server::ServerPresence& server, const ExecutionCommandOptions& options, bool redrive) {
  boost::json::object request{{"execution", options.execution}, {"skipWaits", options.skip_waits}};
  if (redrive) {
    if (!options.from.empty()) request["from"] = options.from;
    if (!options.mocks.config.empty())
      request["mockConfig"] = fs::absolute(options.mocks.config).lexically_normal().string();
    if (!options.mocks.test_case.empty()) request["testCase"] = options.mocks.test_case;
  }
  if (!options.lambda.endpoint.empty()) request["lambdaEndpoint"] = options.lambda.endpoint;
  return run_in_server(server, options.store, redrive ? "RedriveExecution" : "ResumeExecution", request,
                       options.quiet, progress_mode(options.progress, options.quiet, STDERR_FILENO),
                       parse_result_format(options.format).value_or(ResultFormat::text));
}

ExitCode drive(const ExecutionCommandOptions& options, const std::string& command_line, bool redrive) {
  if (auto server = serving_server(options.store)) return drive_in_server(*server, options, redrive);
  auto store = open_store(options.store, store::AccessMode::write, command_line);
  auto record = find_or_complain(*store, options.execution);
  if (!record) return ExitCode::invalid_input;
  // The mocks it ran with, unless a redrive names others.
  if (!options.mocks.config.empty()) record->settings.mock_config = options.mocks.config;
  if (!options.mocks.test_case.empty()) record->settings.test_case = options.mocks.test_case;
  std::optional<LoadedMocks> mocks;
  if (!record->settings.test_case.empty() || !options.mocks.config.empty()) {
    mocks = load_mocks(MockSettings{record->settings.mock_config, record->settings.test_case}, record->machine);
    if (!mocks) return ExitCode::invalid_input;
    record->settings.mock_config = mocks->path;
  }
  // The Lambda endpoint it ran with, unless the command names another.
  auto lambda = choose_lambda_endpoint(options.lambda, record->settings.lambda_endpoint);
  if (!lambda) return ExitCode::invalid_input;
  if (lambda->endpoint) record->settings.lambda_endpoint = lambda->endpoint->url;
  // --skip-waits is recorded: the execution and a later resume or redrive of it skip them.
  record->settings.skip_waits = record->settings.skip_waits || options.skip_waits;
  DriveSettings settings{options.quiet, options.seed, mocks ? &mocks->config : nullptr,
                         mocks ? mocks->path : std::string(), lambda->endpoint ? &*lambda->endpoint : nullptr, {}};
  settings.progress = progress_mode(options.progress, options.quiet, STDERR_FILENO);
  ExecutionDriver driver(*store, settings);
  std::optional<std::string> from;
  if (!options.from.empty()) from = options.from;
  try {
    auto result = driver.drive([&](durable::ExecutionHost& host) {
      return redrive ? host.redrive(std::move(*record), from) : host.resume(std::move(*record));
    });
    print_result(result, {parse_result_format(options.format).value_or(ResultFormat::text), options.quiet},
                 std::cout, std::cerr);
    return exit_code_of(result.status);
  } catch (const durable::ExecutionRefused& refused) {
    std::cerr << "flowstate: " << refused.what() << '\n';
    return ExitCode::invalid_input;
  }
}

ExitCode dry_run(const ExecutionCommandOptions& options) {
  auto store = open_store(options.store, store::AccessMode::read, {});
  auto record = find_or_complain(*store, options.execution);
  if (!record) return ExitCode::invalid_input;
  tasks::ResourceRegistry resources;
  runtime::RealClock clock;
  durable::HostOptions host_options;
  host_options.clock = &clock;
  host_options.resources = &resources;
  durable::ExecutionHost host(*store, std::move(host_options));
  std::optional<std::string> from;
  if (!options.from.empty()) from = options.from;
  try {
    for (const std::string& line : host.redrive_plan(*record, from)) std::cout << line << '\n';
  } catch (const durable::ExecutionRefused& refused) {
    std::cerr << "flowstate: " << refused.what() << '\n';
    return ExitCode::invalid_input;
  }
  std::cout << fmt::format("reused: every state of {} that succeeded before it failed\n", record->name);
  // Command tasks run where `flowstate run` ran, wherever the redrive is started from.
  std::cout << fmt::format("commands run in: {}\n", record->settings.working_directory.empty()
                                                        ? fs::current_path().string() + " (this directory: the "
                                                                                       "execution recorded none)"
                                                        : record->settings.working_directory);
  return ExitCode::succeeded;
}

// The process that ran it is gone: record the stop in its place, children first, and stop
// what its tasks left running.
void abort_orphan(store::Store& store, durable::ExecutionRecord record) {
  durable::ExecutionCatalog catalog(store);
  for (auto& child : catalog.children(record.id))
    if (child.status == runtime::ExecutionStatus::running) abort_orphan(store, std::move(child));
  tasks::stop_leftover_processes(record.id, tasks::kLeftoverGrace);
  durable::StoreEventSink sink(store, record.id);
  runtime::HistoryEvent event;
  event.id = catalog.last_event_id(record.id) + 1;
  event.previous_id = event.id - 1;
  event.timestamp = std::chrono::system_clock::now();
  event.type = "ExecutionAborted";
  sink.record(std::move(event));
  record.status = runtime::ExecutionStatus::aborted;
  record.stop = std::chrono::system_clock::now();
  record.pid = 0;
  sink.write_record(record);
}

ExitCode stop(const ExecutionCommandOptions& options, const std::string& command_line) {
  auto reader = open_store(options.store, store::AccessMode::read, {});
  auto record = find_or_complain(*reader, options.execution);
  if (!record) return ExitCode::invalid_input;
  if (!record->map_run.empty()) {
    // A Distributed Map's child runs inside its parent: stopping the parent stops it.
    std::cerr << fmt::format("flowstate: execution {} is a child execution of the Map Run {}; stop "
                             "its parent execution {} instead\n",
                             record->name, record->map_run, record->parent);
    return ExitCode::invalid_input;
  }
  if (record->status != runtime::ExecutionStatus::running) {
    std::cerr << fmt::format("flowstate: execution {} is {}; there is nothing to stop\n",
                             record->name, runtime::to_string(record->status));
    return ExitCode::execution_failed;
  }
  auto holder = reader->lock_holder();
  if (holder && holder->pid == record->pid) {
    fs::path folder = stop_requests_folder(reader->directory());
    fs::create_directories(folder);
    std::ofstream(folder / record->id).flush();
    ::kill(holder->pid, SIGUSR1);
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(static_cast<std::int64_t>(options.stop_wait_seconds * 1000));
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      reader->refresh();
      auto now = durable::ExecutionCatalog(*reader).find(record->id);
      if (now && now->status != runtime::ExecutionStatus::running) {
        std::cout << fmt::format("execution {} {}\n", now->name, runtime::to_string(now->status));
        return ExitCode::succeeded;
      }
    }
    std::cerr << fmt::format("flowstate: asked pid {} to stop execution {}; it has not stopped after "
                             "{} s\n",
                             holder->pid, record->name, options.stop_wait_seconds);
    return ExitCode::internal_error;
  }
  reader.reset();
  auto writer = open_store(options.store, store::AccessMode::write, command_line);
  auto current = durable::ExecutionCatalog(*writer).find(record->id);
  abort_orphan(*writer, std::move(*current));
  std::cout << fmt::format("execution {} ABORTED (its process had ended)\n", record->name);
  return ExitCode::succeeded;
}

}  // namespace

ExitCode execution_command(std::string_view name, const ExecutionCommandOptions& options,
                           const std::string& command_line) {
  if (name == "resume") return drive(options, command_line, false);
  if (name == "redrive") return options.dry_run ? dry_run(options) : drive(options, command_line, true);
  return stop(options, command_line);
}

}  // namespace flowstate::cli
