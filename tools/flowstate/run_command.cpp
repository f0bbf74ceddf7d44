#include "tools/flowstate/run_command.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>

#include <sys/random.h>

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
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "tools/flowstate/definition_loading.hpp"
#include "tools/flowstate/result_format.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace json = boost::json;

void add_run_command(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run a state machine definition (YAML or JSON) and "
                                            "print its output");
  run->add_option("FILE", options.file, "the definition file")->required();
  auto* input = run->add_option("--input", options.input_json, "the execution input as JSON text "
                                                               "(default: {})");
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
}

namespace {

std::optional<std::string> read_input_text(const RunOptions& options) {
  if (!options.input_json.empty()) return options.input_json;
  if (options.input_file.empty()) return std::string("{}");
  if (options.input_file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(options.input_file, std::ios::binary);
  if (!in) {
    std::cerr << fmt::format("flowstate: cannot read the input file '{}': {}\n", options.input_file,
                             std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// 128 random bits from getrandom(2), written as a UUID. Not std::random_device: on x86 it
// draws with RDRAND, 32 draws cost 0.1-0.2 ms on a VM that traps it (tools/bench/README.md).
std::string generated_name() {
  unsigned char bytes[16];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    std::random_device device;
    for (auto& byte : bytes) byte = static_cast<unsigned char>(device());
  }
  std::string name;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) name.push_back('-');
    name.push_back("0123456789abcdef"[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 0xf]);
  }
  return name;
}

// Every Task's Resource must be served before anything starts.
bool check_resources(const definition::StateMachine& machine, const tasks::ResourceRegistry& registry) {
  bool ok = true;
  for (const auto& state : machine.states) {
    if (const auto* task = std::get_if<states::TaskState>(&state.body)) {
      if (!registry.find(task->resource)) {
        std::cerr << fmt::format("{}: error: no task resource serves '{}'; flowstate runs '{}' "
                                 "(local commands)\n",
                                 task->resource_location, task->resource,
                                 tasks::kCommandResource);
        ok = false;
      }
    } else if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
      for (const auto& branch : parallel->branches) ok = check_resources(*branch, registry) && ok;
    } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
      ok = check_resources(*map->processor, registry) && ok;
    }
  }
  return ok;
}

}  // namespace

ExitCode run_command(const RunOptions& options) {
  auto plan = load_plan(options.file);
  if (!plan) return ExitCode::invalid_input;
  if (!plan->unsupported.empty()) {
    for (const auto& feature : plan->unsupported) std::cerr << fmt::format("{}\n", feature);
    return ExitCode::invalid_input;
  }

  tasks::ResourceRegistry registry;
  registry.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  if (!check_resources(plan->machine, registry)) return ExitCode::invalid_input;

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

  std::string name = options.name.empty() ? generated_name() : options.name;
  runtime::RealClock real_clock;
  runtime::SkipWaitsClock skip_clock;
  runtime::ExecutionOptions execution;
  execution.name = name;
  execution.clock = options.skip_waits ? static_cast<runtime::Clock*>(&skip_clock) : &real_clock;
  execution.resources = &registry;
  execution.seed = options.seed;
  if (!options.quiet) {
    execution.on_task_log = [](std::string_view state, std::string_view line) {
      std::cerr << '[' << state << "] " << line << '\n';
    };
  }

  if (!options.quiet)
    std::cerr << fmt::format("flowstate: execution {} of {} started\n", name, plan->name);

  asio::io_context io;
  asio::cancellation_signal stop;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (!error) stop.emit(asio::cancellation_type::terminal);
  });
  std::optional<runtime::ExecutionResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io, runtime::run_execution(*plan, *input, std::move(execution)),
                 asio::bind_cancellation_slot(
                     stop.slot(), [&](std::exception_ptr error, runtime::ExecutionResult done) {
                       failure = error;
                       if (!error) result = std::move(done);
                       signals.cancel();
                     }));
  io.run();
  if (failure) std::rethrow_exception(failure);

  auto format = parse_result_format(options.format).value_or(ResultFormat::text);
  print_result(*result, name, *input, format, std::cout, std::cerr);
  return result->status == runtime::ExecutionStatus::succeeded ? ExitCode::succeeded
                                                              : ExitCode::execution_failed;
}

}  // namespace flowstate::cli
