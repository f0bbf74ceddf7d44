// flowstate_bench: in-process throughput of one state machine, start-up excluded. Loads and
// compiles the definition once, parses the input once, then runs the execution R times, each
// on a fresh io_context, and prints one JSON object with the timings. tools/bench/bench.py
// drives it side by side with the peer runner (aws-local-stepfunctions).
//
//   flowstate_bench DEFINITION INPUT_FILE [--runs R] [--warmup W] [--history]
//                   [--store DIR [--durability wal|sync] [--group N]]
//
// --history attaches an in-memory EventSink to the timed runs (the CLI runs without one).
// --store runs every execution durably, as `flowstate run` does: through an ExecutionHost
// on a store in DIR (created; each run a new execution), every transition checkpointed;
// --group N writes at most N pure transitions per batch (default 64, the CLI's; 1: a batch
// per transition).
// --no-count skips the untimed counting run below (so a profiler sees only plain runs).
// Before timing, one untimed run with an in-memory sink counts the states entered
// ("states_entered"); states_per_second = states_entered / median run time (wall clock).
// median_cpu_ms is the process CPU time per run, less sensitive to a busy machine.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/store/store.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace flowstate;

struct Arguments {
  std::string definition;
  std::string input_file;
  int runs = 10;
  int warmup = 1;
  bool history = false;
  bool count = true;  ///< the untimed counting run (--no-count skips it, for profiling)
  std::string store;  ///< run durably on a store in this directory
  std::string durability = "wal";
  int group = 64;
};

[[noreturn]] void usage(std::string_view message) {
  std::cerr << "flowstate_bench: " << message << "\n"
            << "usage: flowstate_bench DEFINITION INPUT_FILE [--runs R] [--warmup W] [--history] "
               "[--no-count]\n";
  std::exit(2);
}

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto number = [&](std::string_view option) {
      if (i + 1 >= argc) usage(std::string(option) + " needs a number");
      int value = std::atoi(argv[++i]);
      if (value < 0) usage(std::string(option) + " must not be negative");
      return value;
    };
    if (arg == "--runs") {
      arguments.runs = number(arg);
    } else if (arg == "--warmup") {
      arguments.warmup = number(arg);
    } else if (arg == "--history") {
      arguments.history = true;
    } else if (arg == "--store" && i + 1 < argc) {
      arguments.store = argv[++i];
    } else if (arg == "--durability" && i + 1 < argc) {
      arguments.durability = argv[++i];
      if (arguments.durability != "wal" && arguments.durability != "sync")
        usage("--durability is wal or sync");
    } else if (arg == "--group") {
      arguments.group = number(arg);
    } else if (arg == "--no-count") {
      arguments.count = false;
    } else if (arg == "-h" || arg == "--help") {
      usage("runs a state machine R times in-process and prints the timings as JSON");
    } else if (arg.starts_with("--")) {
      usage("unknown option " + std::string(arg));
    } else {
      positional.emplace_back(arg);
    }
  }
  if (positional.size() != 2) usage("expected DEFINITION and INPUT_FILE");
  if (arguments.runs < 1) usage("--runs must be at least 1");
  arguments.definition = positional[0];
  arguments.input_file = positional[1];
  return arguments;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One durable execution through the host, as `flowstate run` runs it.
durable::ExecutionRecord run_durably(durable::ExecutionHost& host, const std::string& file,
                                     const std::string& text, json::value input, int index) {
  durable::NewExecution request;
  request.definition = durable::DefinitionSource{file, text};
  request.input = std::move(input);
  request.name = "bench-" + std::to_string(index) + "-" + std::to_string(::getpid());
  asio::io_context io;
  std::optional<durable::ExecutionRecord> result;
  std::exception_ptr failure;
  asio::co_spawn(io, host.run(host.create(std::move(request))),
                 [&](std::exception_ptr error, durable::ExecutionRecord done) {
                   failure = error;
                   if (!error) result = std::move(done);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

runtime::ExecutionResult run_once(const definition::Plan& plan, json::value input,
                                  runtime::Clock& clock, const tasks::ResourceRegistry& registry,
                                  runtime::EventSink* sink, int index) {
  runtime::ExecutionOptions options;
  options.name = "bench-" + std::to_string(index);
  options.clock = &clock;
  options.resources = &registry;
  options.events = sink;
  options.seed = 1;
  asio::io_context io;
  std::optional<runtime::ExecutionResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io, runtime::run_execution(plan, std::move(input), std::move(options)),
                 [&](std::exception_ptr error, runtime::ExecutionResult done) {
                   failure = error;
                   if (!error) result = std::move(done);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

double process_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) try {
  Arguments arguments = parse_arguments(argc, argv);

  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::load_file(arguments.definition, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  for (const auto& diagnostic : diagnostics.sorted()) std::cerr << to_string(diagnostic) << '\n';
  if (!plan || !diagnostics.empty()) return 1;

  auto definition_text = read_file(arguments.definition);
  auto input_text = read_file(arguments.input_file);
  if (!input_text) {
    std::cerr << "flowstate_bench: cannot read " << arguments.input_file << '\n';
    return 1;
  }
  auto input = data::parse_json(*input_text);
  if (!input) {
    std::cerr << "flowstate_bench: " << arguments.input_file
              << ": not valid JSON: " << input.error().message << '\n';
    return 1;
  }

  runtime::SkipWaitsClock clock;
  tasks::ResourceRegistry registry;  // the benchmark machines have no Task states

  // Untimed: count the states entered, and keep this run's result for the report.
  std::optional<runtime::ExecutionResult> first;
  std::optional<std::int64_t> states_entered;
  if (arguments.count) {
    runtime::MemoryEventSink counting;
    first = run_once(*plan, *input, clock, registry, &counting, 0);
    states_entered = 0;
    for (const auto& event : counting.events())
      if (event.type.ends_with("StateEntered")) ++*states_entered;
  }

  if (!arguments.store.empty()) {
    store::StoreOptions store_options;
    store_options.directory = arguments.store;
    store_options.durability =
        arguments.durability == "sync" ? store::Durability::sync : store::Durability::wal;
    store_options.deferred = true;  // as `flowstate run` opens it
    auto store = store::Store::open(store_options);
    durable::HostOptions host_options;
    host_options.clock = &clock;
    host_options.resources = &registry;
    host_options.seed = 1;
    host_options.max_grouped = static_cast<std::size_t>(arguments.group);
    durable::ExecutionHost host(*store, std::move(host_options));
    std::vector<double> times_ms, cpu_ms;
    std::optional<durable::ExecutionRecord> last;
    for (int i = 0; i < arguments.warmup + arguments.runs; ++i) {
      json::value copy = *input;
      double cpu_start = process_cpu_ms();
      auto start = std::chrono::steady_clock::now();
      last = run_durably(host, arguments.definition, *definition_text, std::move(copy), i);
      auto stop = std::chrono::steady_clock::now();
      if (last->status != runtime::ExecutionStatus::succeeded) {
        std::cerr << "flowstate_bench: run " << i << " ended " << runtime::to_string(last->status) << '\n';
        return 1;
      }
      if (i < arguments.warmup) continue;
      cpu_ms.push_back(process_cpu_ms() - cpu_start);
      times_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    double median_ms = median(times_ms);
    json::object report;
    report["runs"] = arguments.runs;
    report["warmup"] = arguments.warmup;
    report["store"] = arguments.store;
    report["durability"] = arguments.durability;
    report["group"] = arguments.group;
    report["median_ms"] = median_ms;
    report["min_ms"] = *std::min_element(times_ms.begin(), times_ms.end());
    report["median_cpu_ms"] = median(cpu_ms);
    if (states_entered) {
      report["states_entered"] = *states_entered;
      report["states_per_second"] = median_ms > 0 ? *states_entered / (median_ms / 1000.0) : 0.0;
    }
    report["events"] = durable::ExecutionCatalog(*store).last_event_id(last->id);
    report["status"] = runtime::to_string(last->status);
    if (last->output) report["output"] = *last->output;
    json::array all;
    for (double t : times_ms) all.push_back(t);
    report["times_ms"] = std::move(all);
    std::cout << data::serialize_json(report) << '\n';
    return 0;
  }

  for (int i = 0; i < arguments.warmup; ++i) {
    runtime::MemoryEventSink sink;
    run_once(*plan, *input, clock, registry, arguments.history ? &sink : nullptr, i + 1);
  }

  std::vector<double> times_ms, cpu_ms;
  times_ms.reserve(arguments.runs);
  cpu_ms.reserve(arguments.runs);
  std::int64_t events = 0;
  for (int i = 0; i < arguments.runs; ++i) {
    runtime::MemoryEventSink sink;  // constructed outside the timed region
    runtime::EventSink* attached = arguments.history ? &sink : nullptr;
    json::value copy = *input;  // the input copy is not timed; the run takes it by value
    double cpu_start = process_cpu_ms();
    auto start = std::chrono::steady_clock::now();
    runtime::ExecutionResult result = run_once(*plan, std::move(copy), clock, registry, attached,
                                               arguments.warmup + 1 + i);
    auto stop = std::chrono::steady_clock::now();
    cpu_ms.push_back(process_cpu_ms() - cpu_start);
    times_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    events = result.events;
    if (!first) first = result;
    if (result.status != runtime::ExecutionStatus::succeeded) {
      std::cerr << "flowstate_bench: run " << i << " ended " << runtime::to_string(result.status)
                << '\n';
      return 1;
    }
  }

  double median_ms = median(times_ms);
  double min_ms = *std::min_element(times_ms.begin(), times_ms.end());
  json::object report;
  report["runs"] = arguments.runs;
  report["warmup"] = arguments.warmup;
  report["history"] = arguments.history;
  report["median_ms"] = median_ms;
  report["min_ms"] = min_ms;
  report["median_cpu_ms"] = median(cpu_ms);
  if (states_entered) {
    report["states_entered"] = *states_entered;
    report["states_per_second"] = median_ms > 0 ? *states_entered / (median_ms / 1000.0) : 0.0;
  }
  report["events"] = events;
  report["status"] = runtime::to_string(first->status);
  if (first->output) report["output"] = *first->output;
  json::array all;
  for (double t : times_ms) all.push_back(t);
  report["times_ms"] = std::move(all);
  std::cout << data::serialize_json(report) << '\n';
  return first->status == runtime::ExecutionStatus::succeeded ? 0 : 1;
} catch (const std::exception& error) {
  std::cerr << "flowstate_bench: internal error: " << error.what() << '\n';
  return 3;
}
