#include "engine/runtime/map_run.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/digest.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/context_object.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/fan_out.hpp"
#include "engine/runtime/map_run_control.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

namespace {

// "Step Functions returns a States.ExceedToleratedFailureThreshold error when the Map Run
// fails because it exceeded the specified threshold" (maprun-fail-threshold.html); the cause
// is AWS's recorded one (asl-reference §4).
asl::Failure threshold_exceeded() {
  return asl::Failure(std::string(asl::error_name::kExceedToleratedFailureThreshold),
                      "The specified tolerated failure threshold was exceeded");
}

// A name-based UUID (the SHA-256 of `name`, version 5 layout): the same Map Run gets the
// same ARN and its children the same names when a resume or a redrive runs them again.
std::string uuid_for(std::string_view name) {
  std::string hex = data::hex_digest(data::DigestAlgorithm::sha256, name);
  hex[12] = '5';
  hex[16] = "89ab"[static_cast<unsigned char>(hex[16]) % 4];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

// The names of one Map Run, made as AWS makes them (asl-reference §8 ARN formats): the Map
// Run `…:mapRun:<machine>/<label>:<uuid>`, its children `…:execution:<machine>/<label>:<uuid>`
// of the state machine `…:stateMachine:<machine>/<label>`, where the label is the state's
// Label or else a UUID.
struct MapRunNames {
  std::string map_run_arn;
  std::string state_machine;  ///< MACHINE/LABEL
  std::string state_machine_arn;
  std::string execution_prefix;
  std::string run_id;

  MapRunNames(const ExecutionRun& run, const CompiledState& state,
              const states::DistributedMap& distributed, std::int64_t started) {
    std::string label = distributed.label.empty()
                            ? uuid_for(fmt::format("{}/{}", run.state_machine_arn, state.fields.name))
                            : distributed.label;
    run_id = uuid_for(fmt::format("{}/{}/{}", run.execution_arn, state.fields.name, started));
    state_machine = fmt::format("{}/{}", run.machine_name(), label);
    std::string_view region = run.options.region;
    std::string_view account = run.options.account;
    map_run_arn = fmt::format("arn:aws:states:{}:{}:mapRun:{}/{}:{}", region, account,
                              run.machine_name(), label, run_id);
    state_machine_arn = fmt::format("arn:aws:states:{}:{}:stateMachine:{}/{}", region, account,
                                    run.machine_name(), label);
    execution_prefix = fmt::format("arn:aws:states:{}:{}:execution:{}/{}:", region, account,
                                   run.machine_name(), label);
  }

  std::string child_name(std::size_t index) const {
    return uuid_for(fmt::format("{}/{}", run_id, index));
  }
};

// The EventSink of one child execution: its checkpoints and outputs belong to the parent's
// transitions; its history is its own, kept beside the parent's (EventSink::child_record).
class ChildExecutionSink final : public EventSink {
 public:
  ChildExecutionSink(EventSink& parent, const ChildExecution& child) : parent_(parent), child_(child) {}
  void record(HistoryEvent event) override { parent_.child_record(child_, std::move(event)); }
  void moved(const BranchProgress& branch, BranchMove move, Commit commit) override {
    parent_.moved(branch, move, commit);
  }
  void child_finished(const BranchProgress& child, const json::value& output) override {
    parent_.child_finished(child, output);
  }
  void child_failed(const BranchProgress& child, const json::value& error_output) override {
    parent_.child_failed(child, error_output);
  }
  // A child's own Distributed Maps keep their children's histories apart too, under the
  // parent's sink (their records name this child as their Map Run's execution).
  std::int64_t child_started(const ChildExecution& child) override { return parent_.child_started(child); }
  void child_record(const ChildExecution& child, HistoryEvent event) override {
    parent_.child_record(child, std::move(event));
  }
  void child_ended(const ChildExecution& child, ExecutionStatus status, const json::value& result) override {
    parent_.child_ended(child, status, result);
  }
  void map_run_changed(const MapRunReport& report) override { parent_.map_run_changed(report); }

 private:
  EventSink& parent_;
  const ChildExecution& child_;
};

json::object payload(std::string_view key, const json::value& value) {
  json::object details;
  details[key] = data::serialize_json(value);
  details[std::string(key) + "Details"] = json::object{{"truncated", false}};
  return details;
}

std::int64_t last_event_of(const Checkpoint& checkpoint) {
  return std::max({checkpoint.previous, checkpoint.entered, checkpoint.last});
}

}  // namespace

asio::awaitable<MapRunOutcome> run_map_run(ExecutionRun& run, BranchProgress& progress,
                                           const CompiledState& state, const data::PathScope& scope,
                                           const Lookups& lookups, const json::array& items, std::int64_t max_concurrency,
                                           std::chrono::system_clock::time_point entered_time,
                                           std::int64_t previous, const Checkpoint* resume) {
  const auto& map = std::get<states::MapState>(state.body);
  const states::DistributedMap& distributed = *map.distributed;
  std::size_t count = items.size();
  MapRunOutcome outcome;

  std::int64_t started = 0;
  if (!resume) {
    // AWS reads the threshold after MapStateStarted and fails the state without MapRunStarted
    // or MapStateFailed when it is unusable (conformance:
    // base_scenarios.map_state_tolerated_failure_count_path~-1).
    started = run.record("MapStateStarted", previous, [&] { return json::object{{"length", count}}; });
    outcome.last_event_id = started;
  } else {
    started = resume->started;
    outcome.last_event_id = run.last_event_id;
  }
  auto tolerance = distributed.tolerance(scope);
  if (!tolerance) {
    outcome.kind = MapRunOutcome::Kind::failed;
    outcome.failure = tolerance.error();
    co_return outcome;
  }
  MapRunNames names(run, state, distributed, started);
  // A redrive runs the Map Run again (MapRunRedriven); a resume continues it silently.
  bool redriving = resume && (resume->restarted || (run.options.resume && run.options.resume->redriven));
  // The limits it runs with: the state's, or what an UpdateMapRun made of them (kept in the
  // state's checkpoint, so they outlive a crash). The progress must not point at them once
  // the run is over.
  MapRunLimits limits{max_concurrency, tolerance->count, tolerance->percentage};
  if (resume && resume->map_run_limits) {
    limits = *resume->map_run_limits;
    progress.map_run_limits = &limits;
  }
  struct LimitsReset {
    BranchProgress& progress;
    ~LimitsReset() { progress.map_run_limits = nullptr; }
  } limits_reset{progress};
  states::FailureTolerance threshold{limits.tolerated_failure_count, limits.tolerated_failure_percentage};
  auto report = [&](ExecutionStatus status) {
    if (!run.options.events) return;
    MapRunReport changed;
    changed.map_run_arn = names.map_run_arn;
    changed.execution_arn = run.execution_arn;
    changed.state_machine_arn = names.state_machine_arn;
    changed.items = count;
    changed.limits = limits;
    changed.status = status;
    changed.redrive_count = redriving ? run.redrive_count : 0;
    changed.time = run.options.clock->now();
    run.options.events->map_run_changed(changed);
  };
  if (!resume) {
    std::int64_t map_run = run.record("MapRunStarted", started, [&] {
      return json::object{{"mapRunArn", names.map_run_arn}};
    });
    // Both events and the attempt's start are in the transition that starts the children.
    progress.started = started;
    progress.last = map_run;
    report(ExecutionStatus::running);
    run.moved(progress, BranchMove::children_started);
  } else {
    progress.started = started;
    progress.last = resume->last;
    if (redriving) {
      progress.last = run.record("MapRunRedriven", run.last_event_id, [&] {
        return json::object{{"mapRunArn", names.map_run_arn}, {"redriveCount", run.redrive_count}};
      });
      report(ExecutionStatus::running);
      run.moved(progress);
    }
  }

  // Where each child stands: finished (its output, or the error output of a tolerated
  // failure, which keeps its checkpoint beside it), running (its checkpoint) or not started.
  std::vector<std::optional<json::value>> finished(count);
  std::vector<const Checkpoint*> running(count, nullptr);
  std::vector<bool> failed(count, false);
  if (resume) {
    for (const auto& [position, output] : resume->finished)
      if (position < count) finished[position] = output;
    for (const Checkpoint& child : resume->running) {
      if (child.position >= count) continue;
      running[child.position] = &child;
      if (finished[child.position]) failed[child.position] = true;
    }
  }
  std::size_t failures = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!failed[i]) continue;
    if (redriving) finished[i].reset();  // "only unsuccessful child executions run again"
    else ++failures;
  }
  progress.finished = &finished;
  progress.failed_children = failures;

  std::optional<json::object> item_context;
  if (map.item_selector_reads_context)
    item_context = make_context_object(run, StateVisit{state.fields.name, entered_time, std::nullopt});
  std::optional<asl::Failure> run_failure;
  if (threshold.exceeded(failures, count)) run_failure = threshold_exceeded();

  auto concurrency_of = [](std::int64_t max) {
    return max == 0 ? asl::kDistributedMapConcurrencyCeiling : static_cast<std::size_t>(max);
  };
  ConcurrencyLimit concurrency(concurrency_of(limits.max_concurrency));
  // UpdateMapRun: more (or fewer) children at once from now on, and the new threshold from the
  // next child that starts or fails; the state's checkpoint keeps the new limits.
  std::optional<MapRunControls::Registration> control;
  if (run.options.map_runs)
    control.emplace(*run.options.map_runs, names.map_run_arn, [&](const MapRunUpdate& update) {
      update.apply_to(limits);
      threshold = states::FailureTolerance{limits.tolerated_failure_count, limits.tolerated_failure_percentage};
      progress.map_run_limits = &limits;
      report(ExecutionStatus::running);
      run.moved(progress, BranchMove::advanced, Commit::now);
      concurrency.set(concurrency_of(limits.max_concurrency));
    });
  FanOutResult fan;
  if (!run_failure) {
    fan = co_await fan_out(count, concurrency, [&](std::size_t i) -> asio::awaitable<bool> {
      if (finished[i]) co_return true;
      if (threshold.exceeded(failures, count)) {  // lowered by an UpdateMapRun
        if (!run_failure) run_failure = threshold_exceeded();
        co_return false;
      }
      auto selected = map_item_input(map, scope.input, items, i, item_context, lookups);
      if (!selected) {
        if (!run_failure) run_failure = selected.error();
        co_return false;
      }
      json::value input = std::move(*selected);
      // The child execution: its own identity, ids, $$.Execution and history; the parent's
      // clock, task resources and task log.
      const Checkpoint* checkpoint = running[i];
      BranchProgress item(*map.processor, &progress, i);
      item.variables.reset();  // a Distributed Map's children do not see the outer variables
      if (checkpoint && checkpoint->restarted &&
          distributed.execution_type == states::ChildExecutionType::express) {
        // "Express child workflow executions are restarted from the beginning" on a redrive:
        // what the child had done goes, before it starts again.
        checkpoint = nullptr;
        item.stand_before(map.processor->start, input, 0);
        run.moved(item, BranchMove::children_started);
      }
      ChildExecution identity;
      identity.name = names.child_name(i);
      identity.state_machine = names.state_machine;
      identity.map_run_arn = names.map_run_arn;
      identity.input = &input;
      identity.start = run.options.clock->now();
      identity.resumed = checkpoint != nullptr;
      // A failed or aborted Standard child is redriven, not started again (DG-redrive-maprun).
      identity.redriven = checkpoint && checkpoint->restarted;
      identity.restarted = !checkpoint && resume != nullptr;
      std::optional<ChildExecutionSink> sink;
      if (run.options.events) sink.emplace(*run.options.events, identity);
      ExecutionOptions options = run.options;
      options.name = identity.name;
      options.resume = nullptr;
      options.events = sink ? &*sink : nullptr;
      if (run.options.on_child_task_log)
        options.on_task_log = [log = run.options.on_child_task_log, machine = names.state_machine](
                                  std::string_view state, std::string_view line) { log(machine, state, line); };
      ExecutionRun child{run.plan,
                         options,
                         input,
                         names.execution_prefix + identity.name,
                         names.state_machine_arn,
                         run.role_arn,
                         identity.start,
                         data::format_timestamp(std::chrono::floor<std::chrono::milliseconds>(identity.start)),
                         data::JitterRandom(run.rng())};
      std::int64_t recorded = sink ? run.options.events->child_started(identity) : 0;
      if (checkpoint) {
        child.last_event_id = std::max(recorded, last_event_of(*checkpoint));
        child.first_entry_pending = false;
        if (identity.redriven) {
          child.redrive_count = 1;
          child.record("ExecutionRedriven", child.last_event_id,
                       [&] { return json::object{{"redriveCount", child.redrive_count}}; });
        }
      } else {
        child.record("ExecutionStarted", 0, [&] {
          json::object details = payload("input", input);
          details["roleArn"] = run.role_arn;
          return details;
        });
      }
      BranchOutcome result = co_await run_branch(child, item, json::value(input), 0, checkpoint);
      auto end = [&](ExecutionStatus status, std::string_view type, json::object details,
                     const json::value& value) {
        child.record(type, result.last_event_id, [&] { return std::move(details); });
        if (sink) run.options.events->child_ended(identity, status, value);
      };
      switch (result.kind) {
        case BranchOutcome::Kind::succeeded:
          end(ExecutionStatus::succeeded, "ExecutionSucceeded", payload("output", result.output),
              result.output);
          run.child_finished(item, result.output);
          finished[i] = std::move(result.output);
          co_return true;
        case BranchOutcome::Kind::failed: {
          json::value error_output = result.failure.to_error_output();
          json::object details;
          if (result.failure.error) details["error"] = *result.failure.error;
          if (result.failure.cause) details["cause"] = *result.failure.cause;
          end(ExecutionStatus::failed, "ExecutionFailed", std::move(details), error_output);
          run.child_failed(item, error_output);
          finished[i] = std::move(error_output);
          progress.failed_children = ++failures;
          if (!threshold.exceeded(failures, count)) co_return true;
          if (!run_failure) run_failure = threshold_exceeded();
          co_return false;
        }
        case BranchOutcome::Kind::aborted:
          end(ExecutionStatus::aborted, "ExecutionAborted", json::object(), json::value());
          co_return false;
      }
      co_return false;
    });
  }

  control.reset();
  if (fan.kind == FanOutResult::Kind::aborted) {
    outcome.kind = MapRunOutcome::Kind::aborted;
    outcome.last_event_id = run.record("MapRunAborted", run.last_event_id);
    report(ExecutionStatus::aborted);
    co_return outcome;
  }
  if (!run_failure && threshold.exceeded(failures, count)) run_failure = threshold_exceeded();
  if (run_failure) {
    outcome.kind = MapRunOutcome::Kind::failed;
    outcome.map_run_failed = true;
    outcome.failure = std::move(*run_failure);
    outcome.last_event_id = run.record("MapRunFailed", run.last_event_id, [&] {
      json::object details;
      if (outcome.failure.error) details["error"] = *outcome.failure.error;
      if (outcome.failure.cause) details["cause"] = *outcome.failure.cause;
      return details;
    });
    report(ExecutionStatus::failed);
    co_return outcome;
  }
  outcome.last_event_id = run.record("MapRunSucceeded", run.last_event_id);
  report(ExecutionStatus::succeeded);
  outcome.results.reserve(count);
  for (auto& output : finished) outcome.results.push_back(std::move(*output));
  co_return outcome;
}

}  // namespace flowstate::runtime
