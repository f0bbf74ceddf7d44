// run_machine: compiles a definition's YAML text and runs it in memory — on a local
// io_context, with a RecordingClock (sleeps become arithmetic), a MemoryEventSink, a fixed
// seed and the real arn:flowstate:::command resource — and returns what happened.
// Header-only test harness.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/runtime/progress.hpp"
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/lambda_invoke.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace flowstate::test {

/// A Clock whose time only moves when something sleeps: every sleep_until records how long
/// it asked to wait and jumps the clock to its deadline (never backwards).
class RecordingClock final : public runtime::Clock {
 public:
  /// 2024-01-02T03:04:05.678Z: a fixed start, so context-object times are predictable.
  static std::chrono::system_clock::time_point default_start() {
    using namespace std::chrono;
    return sys_days{year{2024} / 1 / 2} + hours{3} + minutes{4} + seconds{5} + milliseconds{678};
  }

  explicit RecordingClock(std::chrono::system_clock::time_point start = default_start())
      : now_(start) {}

  std::chrono::system_clock::time_point now() const override { return now_; }

  boost::asio::awaitable<void> sleep_until(std::chrono::system_clock::time_point deadline) override {
    sleeps_.push_back(std::chrono::duration<double>(deadline - now_).count());
    if (deadline > now_) now_ = deadline;
    co_return;
  }

  /// Seconds each sleep asked for (deadline minus the time it was asked at; ≤ 0: no wait).
  const std::vector<double>& sleeps() const { return sleeps_; }

 private:
  std::chrono::system_clock::time_point now_;
  std::vector<double> sleeps_;
};

struct MachineOptions {
  std::string name = "test-execution";
  std::string file = "machine.yaml";  ///< the plan's name is its stem: "machine"
  std::uint64_t seed = 42;
  /// When a task log line contains this text, the execution is stopped (as Ctrl-C stops it).
  std::string stop_on_log;
  /// When set, a Lambda endpoint URL that serves Lambda functions (--lambda-endpoint).
  std::string lambda_endpoint;
  /// Called for every history event.
  std::function<void(const runtime::HistoryEvent&)> on_event;
  /// Called whenever a branch moves (what a durable sink checkpoints).
  std::function<void(const runtime::BranchProgress&, runtime::BranchMove)> on_move;
  /// Called when a Map iteration or Parallel branch finishes, with its output.
  std::function<void(const runtime::BranchProgress&, const boost::json::value&)> on_child_finished;
  /// Follows the execution (ExecutionOptions::observer).
  runtime::ExecutionObserver* observer = nullptr;
};

/// Keeps every event, and shows events and moves to MachineOptions' observers.
class ObservingEventSink final : public runtime::EventSink {
 public:
  explicit ObservingEventSink(const MachineOptions& options) : options_(options) {}
  void record(runtime::HistoryEvent event) override {
    if (options_.on_event) options_.on_event(event);
    events_.push_back(std::move(event));
  }
  void moved(const runtime::BranchProgress& branch, runtime::BranchMove move,
             runtime::Commit) override {
    if (options_.on_move) options_.on_move(branch, move);
  }
  void child_finished(const runtime::BranchProgress& child, const boost::json::value& output) override {
    if (options_.on_child_finished) options_.on_child_finished(child, output);
  }
  const std::vector<runtime::HistoryEvent>& events() const { return events_; }

 private:
  const MachineOptions& options_;
  std::vector<runtime::HistoryEvent> events_;
};

inline MachineOptions with_seed(std::uint64_t seed) {
  MachineOptions options;
  options.seed = seed;
  return options;
}
inline MachineOptions with_name(std::string name) {
  MachineOptions options;
  options.name = std::move(name);
  return options;
}
inline MachineOptions stopping_on_log(std::string text) {
  MachineOptions options;
  options.stop_on_log = std::move(text);
  return options;
}

struct MachineRun {
  runtime::ExecutionResult result;
  std::vector<runtime::HistoryEvent> events;
  std::vector<double> sleeps;       ///< what the RecordingClock was asked to sleep, in order
  std::vector<std::string> logs;    ///< task log lines as "[State] line"

  runtime::ExecutionStatus status() const { return result.status; }
  /// The output as compact JSON ("" when there is none).
  std::string output() const {
    return result.output ? data::serialize_json(*result.output) : std::string();
  }
  std::string error() const {
    return result.failure && result.failure->error ? *result.failure->error : std::string();
  }
  std::string cause() const {
    return result.failure && result.failure->cause ? *result.failure->cause : std::string();
  }
  std::vector<std::string> event_types() const {
    std::vector<std::string> types;
    for (const auto& event : events) types.push_back(event.type);
    return types;
  }
  /// "Type(id,previous)" for each event: the shape AWS's recorded histories are compared in.
  std::vector<std::string> event_chain() const {
    std::vector<std::string> chain;
    for (const auto& event : events)
      chain.push_back(event.type + "(" + std::to_string(event.id) + "," +
                      std::to_string(event.previous_id) + ")");
    return chain;
  }
  /// The first event of `type`, or nullptr.
  const runtime::HistoryEvent* first_event(std::string_view type) const {
    for (const auto& event : events)
      if (event.type == type) return &event;
    return nullptr;
  }
};

#ifdef FLOWSTATE_TASK_DOUBLE
/// Replaces every "{td}" in `text` with the path of the task_double helper executable.
inline std::string with_task_double(std::string text) {
  const std::string_view token = "{td}";
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at))
    text.replace(at, token.size(), FLOWSTATE_TASK_DOUBLE);
  return text;
}
#endif

/// Compiles YAML (or JSON) text; throws with every diagnostic when it is not a valid machine.
inline definition::Plan compile_machine(std::string_view yaml, std::string file = "machine.yaml") {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::parse(yaml, file, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  if (!plan || !diagnostics.empty()) {
    std::string message = "the test's definition does not compile:";
    for (const auto& diagnostic : diagnostics.sorted()) message += "\n" + to_string(diagnostic);
    throw std::runtime_error(message);
  }
  return std::move(*plan);
}

inline boost::json::value parse_input(std::string_view json_text) {
  auto parsed = data::parse_json(json_text);
  if (!parsed) throw std::runtime_error("the test's input is not JSON: " + parsed.error().message);
  return std::move(*parsed);
}

/// Runs a compiled plan to its end; exceptions escaping the execution reach the test.
inline MachineRun run_plan(const definition::Plan& plan, std::string_view input = "{}",
                           MachineOptions options = {}) {
  RecordingClock clock;
  ObservingEventSink sink(options);
  tasks::ResourceRegistry resources;
  resources.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  if (!options.lambda_endpoint.empty())
    tasks::add_lambda_invoke(resources, *tasks::LambdaEndpoint::parse(options.lambda_endpoint));
  MachineRun run;
  runtime::ExecutionOptions execution;
  execution.name = options.name;
  execution.clock = &clock;
  execution.resources = &resources;
  execution.events = &sink;
  execution.seed = options.seed;
  execution.observer = options.observer;
  boost::asio::io_context io;
  boost::asio::cancellation_signal stop;
  execution.on_task_log = [&](std::string_view state, std::string_view line) {
    run.logs.push_back("[" + std::string(state) + "] " + std::string(line));
    if (!options.stop_on_log.empty() && line.find(options.stop_on_log) != std::string_view::npos)
      boost::asio::post(io, [&stop] { stop.emit(boost::asio::cancellation_type::terminal); });
  };

  std::exception_ptr failure;
  std::optional<runtime::ExecutionResult> result;
  boost::asio::co_spawn(io, runtime::run_execution(plan, parse_input(input), std::move(execution)),
                        boost::asio::bind_cancellation_slot(
                            stop.slot(), [&](std::exception_ptr error, runtime::ExecutionResult done) {
                              failure = error;
                              if (!error) result = std::move(done);
                            }));
  io.run();
  if (failure) std::rethrow_exception(failure);
  run.result = std::move(*result);
  run.events = sink.events();
  run.sleeps = clock.sleeps();
  return run;
}

/// compile_machine, then run_plan.
inline MachineRun run_machine(std::string_view yaml, std::string_view input = "{}",
                              MachineOptions options = {}) {
  definition::Plan plan = compile_machine(yaml, options.file);
  return run_plan(plan, input, std::move(options));
}

}  // namespace flowstate::test
