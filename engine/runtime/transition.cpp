#include "engine/runtime/transition.hpp"

#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/context_object.hpp"
#include "engine/runtime/fan_out.hpp"
#include "engine/runtime/io_pipeline.hpp"
#include "engine/runtime/map_run.hpp"
#include "engine/runtime/progress.hpp"
#include "engine/runtime/task_events.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

namespace {

// AWS prefixes every error the interpreter itself raises (a path that matches nothing, a bad
// Wait value, ...) with the state and the id of its *StateEntered event [conformance:
// base_scenarios.invalid_jsonpath~*].
asl::Failure located(const CompiledState& state, std::int64_t entered_id, asl::Failure failure) {
  std::string cause = fmt::format("An error occurred while executing the state '{}' (entered at "
                                  "the event id #{}).",
                                  state.fields.name, entered_id);
  if (failure.cause && !failure.cause->empty()) cause += " " + *failure.cause;
  failure.cause = std::move(cause);
  return failure;
}

// `subject`: the state's name, or for a Task what AWS names there: the Lambda function's ARN
// or the integrated service ("lambda" for lambda:invoke).
asl::Failure data_limit_exceeded(std::string_view subject) {
  return asl::Failure(std::string(asl::error_name::kDataLimitExceeded),
                      fmt::format("The state/task '{}' returned a result with a size exceeding "
                                  "the maximum number of bytes service limit.",
                                  subject));
}

bool too_large(const json::value& value) {
  return data::serialized_size_exceeds(value, asl::kMaxPayloadBytes);
}

json::object payload_details(std::string_view name, std::string_view key, const json::value& payload) {
  json::object details;
  if (!name.empty()) details["name"] = name;
  details[key] = data::serialize_json(payload);
  details[std::string(key) + "Details"] = json::object{{"truncated", false}};
  return details;
}

json::object failure_details(const asl::Failure& failure) {
  json::object details;
  if (failure.error) details["error"] = *failure.error;
  if (failure.cause) details["cause"] = *failure.cause;
  return details;
}

std::optional<json::value> context_for(const ExecutionRun& run, const CompiledState& state,
                                       std::chrono::system_clock::time_point entered,
                                       std::optional<std::int64_t> retry_count) {
  if (!state.fields.reads_context) return std::nullopt;
  return json::value(make_context_object(run, StateVisit{state.fields.name, entered, retry_count}));
}

const json::value* pointer(const std::optional<json::value>& context) {
  return context ? &*context : nullptr;
}

// What the state's paths read besides their input: "$$" and the branch's variables.
Lookups lookups_for(const BranchProgress& progress, const std::optional<json::value>& context) {
  Lookups lookups;
  lookups.context = pointer(context);
  lookups.variables = progress.variables.get();
  lookups.state_input = progress.input;
  return lookups;
}

Lookups with_result(Lookups lookups, const json::value& result) {
  lookups.result = &result;
  return lookups;
}

// AWS lists an Assign's values on the state's *StateExited event, each as JSON text.
void add_assigned(json::object& details, const json::object& assigned) {
  json::object texts;
  for (const auto& member : assigned) texts[member.key()] = data::serialize_json(member.value());
  details["assignedVariables"] = std::move(texts);
  details["assignedVariablesDetails"] = json::object{{"truncated", false}};
}

std::int64_t record_entered(ExecutionRun& run, const CompiledState& state, const json::value& input,
                            std::int64_t previous) {
  return run.record(entered_event_type(state.fields.type), previous,
                    [&] { return payload_details(state.fields.name, "input", input); });
}

// The state is done: record its exit and go where it says. From its exit on, the branch
// stands before the next state with this output as input: the point a checkpoint resumes
// from. A branch that ends is checkpointed by whoever ran it (its parent state, or the
// execution's end).
// `assigned`: the variables its Assign set, visible from the next state on.
StepOutcome leave(ExecutionRun& run, BranchProgress& progress, const CompiledState& state,
                  json::value output, std::int64_t previous,
                  std::optional<std::size_t> next_override = std::nullopt,
                  const std::optional<json::object>& assigned = std::nullopt) {
  std::optional<std::size_t> next = next_override;
  if (!next && state.fields.next) next = state.fields.next->index;
  if (assigned) assign_variables(progress, *assigned);
  std::int64_t exited = run.record(exited_event_type(state.fields.type), previous, [&] {
    json::object details = payload_details(state.fields.name, "output", output);
    if (assigned) add_assigned(details, *assigned);
    return details;
  });
  if (next) {
    bool had_children = progress.started != 0;
    progress.stand_before(*next, output, exited);
    run.moved(progress, had_children ? BranchMove::children_done : BranchMove::advanced);
  }
  StepOutcome step;
  step.last_event_id = exited;
  step.output = std::move(output);
  if (next) {
    step.kind = StepOutcome::Kind::advance;
    step.next = *next;
  } else {
    step.kind = StepOutcome::Kind::finish;
  }
  return step;
}

StepOutcome failed(asl::Failure failure, std::int64_t last_event) {
  StepOutcome step;
  step.kind = StepOutcome::Kind::fail;
  step.failure = std::move(failure);
  step.last_event_id = last_event;
  return step;
}

// The state was stopped (a failed sibling, a stop, the execution's timeout): AWS records
// *StateAborted.
StepOutcome aborted(ExecutionRun& run, const CompiledState& state, std::int64_t last_event) {
  StepOutcome step;
  step.kind = StepOutcome::Kind::aborted;
  step.last_event_id = run.record(aborted_event_type(state.fields.type), last_event);
  return step;
}

// One attempt of a Task, Parallel or Map: its state output, or why it failed.
struct Attempt {
  enum class Kind { succeeded, failed, aborted } kind = Kind::succeeded;
  json::value output;
  asl::Failure failure;
  std::int64_t last_event_id = 0;
  /// Parallel and Map: "ParallelStateFailed" / "MapStateFailed", recorded only once no
  /// retrier takes the failure (AWS records none between attempts [conformance:
  /// base_scenarios.map_state_retry, base_scenarios.parallel_state_retry]).
  std::string_view state_failed_event = {};
  std::optional<json::object> assigned;  ///< succeeded: what the state's Assign set
  /// Failed because an iteration or branch failed (its own events tell where), not here.
  bool from_children = false;

  static Attempt fail(asl::Failure failure, std::int64_t last) {
    return Attempt{Kind::failed, {}, std::move(failure), last, {}, {}, false};
  }
  static Attempt succeed(json::value output, std::int64_t last, std::optional<json::object> assigned) {
    return Attempt{Kind::succeeded, std::move(output), {}, last, {}, std::move(assigned), false};
  }
};

std::optional<std::int64_t> seconds_from(const std::optional<std::int64_t>& literal,
                                         const std::optional<data::JsonPath>& path,
                                         const data::PathScope& scope) {
  if (literal) return literal;
  if (!path) return std::nullopt;
  const json::value* value = path->find(scope);
  if (value && value->is_int64() && value->get_int64() > 0) return value->get_int64();
  if (value && value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  return std::int64_t{-1};  // present but unusable
}

asio::awaitable<Attempt> attempt_task(ExecutionRun& run, BranchProgress& progress,
                                      const CompiledState& state,
                                      const states::TaskState& task, const json::value& input,
                                      const std::optional<json::value>& context,
                                      std::int64_t entered, std::int64_t previous) {
  Lookups lookups = lookups_for(progress, context);
  auto effective = effective_input(state.fields, input, lookups);
  if (!effective) co_return Attempt::fail(located(state, entered, effective.error()), previous);
  data::PathScope scope = lookups.over(*effective);
  auto timeout = seconds_from(task.timeout_seconds, task.timeout_seconds_path, scope);
  auto heartbeat = seconds_from(task.heartbeat_seconds, task.heartbeat_seconds_path, scope);
  if (state.fields.query_language == states::QueryLanguage::jsonata) {
    auto timeout_value = task.jsonata_timeout.evaluate(lookups.jsonata());
    if (!timeout_value) co_return Attempt::fail(located(state, entered, timeout_value.error()), previous);
    auto heartbeat_value = task.jsonata_heartbeat.evaluate(lookups.jsonata());
    if (!heartbeat_value) co_return Attempt::fail(located(state, entered, heartbeat_value.error()), previous);
    timeout = *timeout_value;
    heartbeat = *heartbeat_value;
  }
  for (auto [value, path] : {std::pair{timeout, &task.timeout_seconds_path},
                             std::pair{heartbeat, &task.heartbeat_seconds_path}}) {
    if (value && *value < 0)
      co_return Attempt::fail(
          located(state, entered,
                  asl::Failure(std::string(asl::error_name::kRuntime),
                               fmt::format("Invalid path '{}' : the value must be a positive "
                                           "integer",
                                           (*path)->text()))),
          previous);
  }
  // A mocked state never reaches its resource; its history is the resource's all the same.
  bool mocked = run.options.mocks && run.options.mocks->mocks(state.fields.name);
  tasks::TaskResource* resource =
      mocked || !run.options.resources ? nullptr : run.options.resources->find(task.resource);
  TaskEvents events = task_events_for(task.resource);
  auto resource_details = [&](json::object details) {
    if (!events.lambda_function) {
      details["resourceType"] = events.resource_type;
      details["resource"] = events.resource;
    }
    return details;
  };
  std::int64_t scheduled = run.record(events.scheduled(), previous, [&] {
    json::object details;
    if (events.lambda_function) {
      details["resource"] = task.resource;
      details["input"] = data::serialize_json(*effective);
      details["inputDetails"] = json::object{{"truncated", false}};
    } else {
      details = resource_details(std::move(details));
      details["region"] = run.options.region;
      details["parameters"] = data::serialize_json(*effective);
    }
    if (timeout) details["timeoutInSeconds"] = *timeout;
    if (heartbeat && !events.lambda_function) details["heartbeatInSeconds"] = *heartbeat;
    return details;
  });
  if (!resource && !mocked) {
    asl::Failure failure(std::string(asl::error_name::kTaskFailed),
                         fmt::format("no task resource serves '{}'", task.resource));
    std::int64_t id = run.record(events.start_failed(), scheduled,
                                 [&] { return resource_details(failure_details(failure)); });
    co_return Attempt::fail(std::move(failure), id);
  }
  std::int64_t started = run.record(events.started(), scheduled,
                                    [&] { return resource_details(json::object()); });
  // The task's start is durable before it runs: a crash from here on runs it again.
  progress.last = started;
  run.moved(progress, BranchMove::advanced, Commit::now);
  tasks::TaskResult result = asl::Failure();
  if (mocked) {
    tasks::MockedOutcome outcome = *run.options.mocks->next(state.fields.name);
    if (outcome.result) result = std::move(*outcome.result);
    else result = std::move(outcome.failure);
  } else {
    tasks::TaskRequest request;
    request.execution_id = run.options.id;
    request.invocation = fmt::format("{}/{}/{}", branch_label(progress), state.fields.name,
                                     progress.retry_count);
    request.resource = task.resource;
    request.state_name = state.fields.name;
    request.parameters = std::move(*effective);
    if (timeout) request.timeout = std::chrono::seconds(*timeout);
    if (heartbeat) request.heartbeat = std::chrono::seconds(*heartbeat);
    if (run.options.on_task_log) {
      request.on_log = [&run, &state](std::string_view line) {
        run.options.on_task_log(state.fields.name, line);
      };
    }
    result = co_await resource->run(std::move(request));
  }
  if (!result) {
    const asl::Failure& failure = result.error();
    bool timed_out = failure.error && *failure.error == asl::error_name::kTimeout;
    std::int64_t id = run.record(timed_out ? events.timed_out() : events.failed(), started,
                                 [&] { return resource_details(failure_details(failure)); });
    co_return Attempt::fail(failure, id);
  }
  if (too_large(*result)) {
    asl::Failure failure = data_limit_exceeded(
        events.lambda_function ? std::string_view(task.resource)
        : events.resource_type == "flowstate" ? std::string_view(state.fields.name)
                                              : std::string_view(events.resource_type));
    std::int64_t id = run.record(events.failed(), started,
                                 [&] { return resource_details(failure_details(failure)); });
    co_return Attempt::fail(std::move(failure), id);
  }
  std::int64_t succeeded = run.record(events.succeeded(), started, [&] {
    return resource_details(payload_details({}, "output", *result));
  });
  auto assigned = assigned_variables(state.fields.assign, *result, with_result(lookups, *result));
  if (!assigned) co_return Attempt::fail(located(state, entered, assigned.error()), succeeded);
  auto output = state_output(state.fields, input, std::move(*result), lookups);
  if (!output) co_return Attempt::fail(located(state, entered, output.error()), succeeded);
  co_return Attempt::succeed(std::move(*output), succeeded, std::move(*assigned));
}

// What a resumed Map or Parallel attempt already has: the outputs of finished children and
// the checkpoints of running ones, by position.
struct ChildrenResume {
  std::vector<std::optional<json::value>> finished;
  std::vector<const Checkpoint*> running;

  ChildrenResume(const Checkpoint& checkpoint, std::size_t count)
      : finished(count), running(count, nullptr) {
    for (const auto& [position, output] : checkpoint.finished)
      if (position < count) finished[position] = output;
    for (const Checkpoint& child : checkpoint.running)
      if (child.position < count && !finished[child.position]) running[child.position] = &child;
  }
};

// Records the attempt's *StateStarted (or takes the resumed one) and checkpoints the branch:
// the children of earlier attempts are gone from here on.
std::int64_t start_children(ExecutionRun& run, BranchProgress& progress, std::int64_t started,
                            const Checkpoint* resume) {
  progress.started = resume ? resume->started : started;
  progress.last = progress.started;
  if (!resume) run.moved(progress, BranchMove::children_started);
  return progress.started;
}

asio::awaitable<Attempt> attempt_parallel(ExecutionRun& run, BranchProgress& progress,
                                          const CompiledState& state,
                                          const states::ParallelState& parallel,
                                          const json::value& input,
                                          const std::optional<json::value>& context,
                                          std::int64_t entered, std::int64_t previous,
                                          const Checkpoint* resume) {
  Lookups lookups = lookups_for(progress, context);
  auto effective = effective_input(state.fields, input, lookups);
  if (!effective) co_return Attempt::fail(located(state, entered, effective.error()), previous);
  std::size_t count = parallel.branches.size();
  std::optional<ChildrenResume> resumed;
  if (resume) resumed.emplace(*resume, count);
  std::int64_t started = start_children(
      run, progress, resume ? 0 : run.record("ParallelStateStarted", previous), resume);
  std::vector<BranchOutcome> outcomes(count);
  std::vector<std::optional<json::value>> finished =
      resumed ? std::move(resumed->finished) : std::vector<std::optional<json::value>>(count);
  progress.finished = &finished;
  const json::value& branch_input = *effective;
  FanOutResult fan = co_await fan_out(count, 0, [&](std::size_t i) -> asio::awaitable<bool> {
    if (finished[i]) co_return true;
    const Checkpoint* child = resumed ? resumed->running[i] : nullptr;
    BranchProgress branch(*parallel.branches[i], &progress, i);
    outcomes[i] = co_await run_branch(run, branch, branch_input, started, child);
    if (outcomes[i].kind != BranchOutcome::Kind::succeeded) co_return false;
    run.child_finished(branch, outcomes[i].output);
    finished[i] = std::move(outcomes[i].output);
    co_return true;
  });
  if (fan.kind == FanOutResult::Kind::aborted)
    co_return Attempt{Attempt::Kind::aborted, {}, {}, run.last_event_id, {}, {}, false};
  if (fan.kind == FanOutResult::Kind::failed) {
    // AWS propagates the failed branch's own error and cause (not States.BranchFailed).
    Attempt attempt = Attempt::fail(outcomes[fan.failed_index].failure, run.last_event_id);
    attempt.state_failed_event = "ParallelStateFailed";
    attempt.from_children = true;
    co_return attempt;
  }
  json::array results;
  results.reserve(count);
  for (auto& output : finished) results.push_back(std::move(*output));
  std::int64_t succeeded = run.record("ParallelStateSucceeded", run.last_event_id);
  json::value result(std::move(results));
  auto assigned = assigned_variables(state.fields.assign, result, with_result(lookups, result));
  if (!assigned) co_return Attempt::fail(located(state, entered, assigned.error()), succeeded);
  auto output = state_output(state.fields, input, std::move(result), lookups);
  if (!output) co_return Attempt::fail(located(state, entered, output.error()), succeeded);
  co_return Attempt::succeed(std::move(*output), succeeded, std::move(*assigned));
}

// The items a Map iterates: JSONPath: the array ItemsPath selects; JSONata: "Items" built
// (an array, AWS's QueryEvaluationError otherwise), or the input itself.
struct MapItems {
  std::optional<json::value> built;       ///< JSONata Items' value, owned here
  const json::array* borrowed = nullptr;  ///< or the array inside the Map's input
  const json::array& array() const { return built ? built->get_array() : *borrowed; }
};

boost::system::result<MapItems, asl::Failure> map_items(const states::MapState& map,
                                                        states::QueryLanguage language,
                                                        const json::value& map_input,
                                                        const Lookups& lookups,
                                                        const data::PathScope& scope) {
  MapItems items;
  if (language == states::QueryLanguage::jsonpath) {
    auto selected = map.items(scope);
    if (!selected) return selected.error();
    items.borrowed = *selected;
    return items;
  }
  auto query_error = [](std::string cause) {
    return asl::Failure(std::string(asl::error_name::kQueryEvaluationError), std::move(cause));
  };
  if (!map.items_template) {
    if (!map_input.is_array())
      return query_error(fmt::format("Map state input must be an array but was: {}",
                                     data::serialize_json(map_input)));
    items.borrowed = &map_input.get_array();
    return items;
  }
  auto built = map.items_template->evaluate(lookups.jsonata());
  if (!built) return built.error();
  if (!built->is_array()) {
    std::string_view kind = built->is_object() ? "object" : built->is_string() ? "string"
                          : built->is_bool()   ? "boolean" : built->is_null() ? "null" : "number";
    return query_error(fmt::format("The JSONata expression '{}' specified for the field 'Items' returned "
                                   "an unexpected result type. Expected 'array', but was '{}' for value: {}",
                                   map.items_template->expression_text(), kind,
                                   data::serialize_json(*built)));
  }
  items.built = std::move(*built);
  return items;
}

asio::awaitable<Attempt> attempt_map(ExecutionRun& run, BranchProgress& progress,
                                     const CompiledState& state,
                                     const states::MapState& map, const json::value& input,
                                     const std::optional<json::value>& context,
                                     std::chrono::system_clock::time_point entered_time,
                                     std::int64_t entered, std::int64_t previous,
                                     const Checkpoint* resume) {
  // The Map's effective input: the raw input itself unless InputPath selects a part.
  Lookups lookups = lookups_for(progress, context);
  std::optional<json::value> filtered;
  if (state.fields.input_path.mode != states::FilterPath::Mode::whole) {
    auto selected = select_filter_path(state.fields.input_path, input, lookups);
    if (!selected) co_return Attempt::fail(located(state, entered, selected.error()), previous);
    filtered = std::move(*selected);
  }
  const json::value& map_input = filtered ? *filtered : input;
  data::PathScope scope = lookups.over(map_input);
  auto item_list = map_items(map, state.fields.query_language, map_input, lookups, scope);
  if (!item_list) {
    Attempt attempt = Attempt::fail(located(state, entered, item_list.error()), previous);
    // AWS records MapStateFailed after a JSONata Items (or input) that is no array.
    if (state.fields.query_language == states::QueryLanguage::jsonata) attempt.state_failed_event = "MapStateFailed";
    co_return attempt;
  }
  const json::array* items = &item_list->array();
  auto concurrency = map.concurrency(scope);
  if (!concurrency) co_return Attempt::fail(located(state, entered, concurrency.error()), previous);
  if (map.jsonata_max_concurrency.expression) {
    auto evaluated = map.jsonata_max_concurrency.evaluate(lookups.jsonata());
    if (!evaluated) co_return Attempt::fail(located(state, entered, evaluated.error()), previous);
    concurrency = **evaluated;
  }
  if (map.distributed) {
    MapRunOutcome map_run = co_await run_map_run(run, progress, state, scope, *items, *concurrency,
                                                 entered_time, previous, resume);
    if (map_run.kind == MapRunOutcome::Kind::aborted)
      co_return Attempt{Attempt::Kind::aborted, {}, {}, map_run.last_event_id, {}, {}, false};
    if (map_run.kind == MapRunOutcome::Kind::failed) {
      if (!map_run.map_run_failed)
        co_return Attempt::fail(located(state, entered, map_run.failure), map_run.last_event_id);
      Attempt attempt = Attempt::fail(std::move(map_run.failure), map_run.last_event_id);
      attempt.state_failed_event = "MapStateFailed";
      attempt.from_children = true;
      co_return attempt;
    }
    std::int64_t succeeded = run.record("MapStateSucceeded", map_run.last_event_id);
    json::value result(std::move(map_run.results));
    auto assigned = assigned_variables(state.fields.assign, result, with_result(lookups, result));
    if (!assigned) co_return Attempt::fail(located(state, entered, assigned.error()), succeeded);
    auto output = state_output(state.fields, input, std::move(result), lookups);
    if (!output) co_return Attempt::fail(located(state, entered, output.error()), succeeded);
    co_return Attempt::succeed(std::move(*output), succeeded, std::move(*assigned));
  }
  std::size_t count = items->size();
  std::size_t limit = *concurrency == 0 ? asl::kInlineMapConcurrencyCeiling
                                        : static_cast<std::size_t>(*concurrency);
  std::optional<ChildrenResume> resumed;
  if (resume) resumed.emplace(*resume, count);
  std::int64_t started = start_children(
      run, progress,
      resume ? 0
             : run.record("MapStateStarted", previous,
                          [&] { return json::object{{"length", count}}; }),
      resume);
  std::optional<json::object> item_context;
  if (map.item_selector_reads_context)
    item_context = make_context_object(run, StateVisit{state.fields.name, entered_time, std::nullopt});

  std::vector<std::optional<json::value>> outputs =
      resumed ? std::move(resumed->finished) : std::vector<std::optional<json::value>>(count);
  progress.finished = &outputs;
  std::optional<asl::Failure> failure;
  auto iteration_details = [&](std::size_t i) {
    return json::object{{"name", state.fields.name}, {"index", i}};
  };
  // AWS links an iteration's MapIterationStarted to the last event of the iteration that ran
  // before it on the same slot (MapStateStarted for the first ones): sequential iterations
  // form one chain. A slot's chain end is pushed when its iteration ends and popped by the
  // next iteration the same worker starts (nothing runs in between on this io_context).
  std::vector<std::int64_t> chain_ends;
  FanOutResult fan = co_await fan_out(count, limit, [&](std::size_t i) -> asio::awaitable<bool> {
    if (outputs[i]) co_return true;  // finished before a resume
    const Checkpoint* checkpoint = resumed ? resumed->running[i] : nullptr;
    json::value item_input;
    std::int64_t iteration = 0;
    std::optional<Checkpoint> relinked;
    if (checkpoint && checkpoint->restarted) {
      // A redriven iteration starts again in the history, where it failed or was aborted,
      // and the state it runs again follows that start.
      iteration = run.record("MapIterationStarted",
                             checkpoint->in_state() ? checkpoint->last : checkpoint->previous,
                             [&] { return iteration_details(i); });
      if (!checkpoint->in_state()) {
        relinked = *checkpoint;
        relinked->previous = iteration;
        checkpoint = &*relinked;
      }
    } else if (!checkpoint) {
      if (map.item_selector || map.jsonata_item_selector) {
        std::optional<json::value> item_ctx;
        if (item_context) item_ctx = json::value(with_map_item(*item_context, i, (*items)[i]));
        Lookups item_lookups = lookups;
        item_lookups.context = pointer(item_ctx);
        auto selected = map.item_selector
                            ? map.item_selector->evaluate(item_lookups.over(map_input))
                            : map.jsonata_item_selector->evaluate(item_lookups.jsonata());
        if (!selected) {
          if (!failure) failure = located(state, entered, selected.error());
          co_return false;
        }
        item_input = std::move(*selected);
      } else {
        item_input = (*items)[i];
      }
      std::int64_t previous_in_chain = started;
      if (!chain_ends.empty()) {
        previous_in_chain = chain_ends.back();
        chain_ends.pop_back();
      }
      iteration = run.record("MapIterationStarted", previous_in_chain,
                             [&] { return iteration_details(i); });
    }
    BranchProgress item(*map.processor, &progress, i);
    BranchOutcome outcome = co_await run_branch(run, item, std::move(item_input), iteration, checkpoint);
    chain_ends.push_back(outcome.last_event_id);
    switch (outcome.kind) {
      case BranchOutcome::Kind::succeeded:
        run.record("MapIterationSucceeded", outcome.last_event_id, [&] { return iteration_details(i); });
        run.child_finished(item, outcome.output);
        outputs[i] = std::move(outcome.output);
        co_return true;
      case BranchOutcome::Kind::failed:
        run.record("MapIterationFailed", outcome.last_event_id, [&] { return iteration_details(i); });
        if (!failure) failure = std::move(outcome.failure);
        co_return false;
      case BranchOutcome::Kind::aborted:
        run.record("MapIterationAborted", outcome.last_event_id, [&] { return iteration_details(i); });
        co_return false;
    }
    co_return false;
  });
  if (fan.kind == FanOutResult::Kind::aborted)
    co_return Attempt{Attempt::Kind::aborted, {}, {}, run.last_event_id, {}, {}, false};
  if (fan.kind == FanOutResult::Kind::failed) {
    Attempt attempt = Attempt::fail(*failure, run.last_event_id);
    attempt.state_failed_event = "MapStateFailed";
    attempt.from_children = true;
    co_return attempt;
  }
  std::int64_t succeeded = run.record("MapStateSucceeded", run.last_event_id);
  json::array results;
  results.reserve(count);
  for (auto& output : outputs) results.push_back(std::move(*output));
  json::value result(std::move(results));
  auto assigned = assigned_variables(state.fields.assign, result, with_result(lookups, result));
  if (!assigned) co_return Attempt::fail(located(state, entered, assigned.error()), succeeded);
  auto output = state_output(state.fields, input, std::move(result), lookups);
  if (!output) co_return Attempt::fail(located(state, entered, output.error()), succeeded);
  co_return Attempt::succeed(std::move(*output), succeeded, std::move(*assigned));
}

asio::awaitable<StepOutcome> run_wait(ExecutionRun& run, BranchProgress& progress,
                                      const CompiledState& state,
                                      const states::WaitState& wait, json::value input,
                                      std::int64_t entered,
                                      std::chrono::system_clock::time_point entered_time) {
  progress.input = &input;  // moved here from the caller
  auto context = context_for(run, state, entered_time, std::nullopt);
  Lookups lookups = lookups_for(progress, context);
  auto effective = apply_filter_path(state.fields.input_path, input, lookups);
  if (!effective) co_return failed(located(state, entered, effective.error()), entered);
  // The deadline counts from the first entry, also when a resume comes back to it.
  states::JsonataScope jsonata_scope = lookups.jsonata();
  auto until = wait.until(lookups.over(*effective), entered_time, &jsonata_scope);
  if (!until) co_return failed(located(state, entered, until.error()), entered);
  auto assigned = assigned_variables(state.fields.assign, *effective, lookups);
  if (!assigned) co_return failed(located(state, entered, assigned.error()), entered);
  run.moved(progress, BranchMove::advanced, Commit::now);
  co_await run.options.clock->sleep_until(*until);
  auto filtered = apply_filter_path(state.fields.output_path, std::move(*effective), lookups);
  if (!filtered) co_return failed(located(state, entered, filtered.error()), entered);
  auto output = apply_output(state.fields.output, std::move(*filtered), lookups);
  if (!output) co_return failed(located(state, entered, output.error()), entered);
  co_return leave(run, progress, state, std::move(*output), entered, std::nullopt, *assigned);
}

}  // namespace

std::int64_t record_evaluation_failure(ExecutionRun& run, const CompiledState& state,
                                       const asl::Failure& failure, std::int64_t previous) {
  if (state.fields.query_language != states::QueryLanguage::jsonata || !failure.error ||
      *failure.error != asl::error_name::kQueryEvaluationError)
    return previous;
  return run.record("EvaluationFailed", previous, [&] {
    json::object details = failure_details(failure);
    details["state"] = state.fields.name;
    return details;
  });
}

bool runs_synchronously(const CompiledState& state) {
  switch (state.fields.type) {
    case asl::StateType::pass:
    case asl::StateType::choice:
    case asl::StateType::succeed:
    case asl::StateType::fail: return true;
    default: return false;
  }
}

namespace {

// A JSONata Choice: the first rule whose Condition is true, with its own Output and Assign;
// the state's Output and Assign only when the Default is taken.
StepOutcome choose_jsonata(ExecutionRun& run, BranchProgress& progress, const CompiledState& state,
                           const states::ChoiceState& choice, json::value input, std::int64_t entered,
                           Lookups lookups) {
  progress.input = lookups.state_input = &input;  // moved here from the caller
  const states::ChoiceState::Choice* chosen = nullptr;
  for (std::size_t i = 0; i < choice.choices.size() && !chosen; ++i) {
    const auto& rule = choice.choices[i];
    auto value = rule.condition->evaluate(lookups.jsonata());
    if (!value) return failed(located(state, entered, value.error()), entered);
    if (!value->is_bool())
      return failed(located(state, entered,
                            asl::Failure(std::string(asl::error_name::kQueryEvaluationError),
                                         fmt::format("The Condition of Choices[{}] returned {}; it must "
                                                     "return true or false",
                                                     i, data::serialize_json(*value)))),
                    entered);
    if (value->get_bool()) chosen = &rule;
  }
  if (!chosen && !choice.default_next)
    return failed(located(state, entered,
                          asl::Failure(std::string(asl::error_name::kNoChoiceMatched),
                                       "no Choice rule matched the input, and the state has no Default")),
                  entered);
  std::size_t next = chosen ? chosen->next.index : choice.default_next->index;
  auto assigned = assigned_variables(chosen ? chosen->assign : state.fields.assign, input, lookups);
  if (!assigned) return failed(located(state, entered, assigned.error()), entered);
  auto output = apply_output(chosen ? chosen->output : state.fields.output, std::move(input), lookups);
  if (!output) return failed(located(state, entered, output.error()), entered);
  return leave(run, progress, state, std::move(*output), entered, next, *assigned);
}

// A JSONata Pass or Succeed: Output (default: the input) and Assign, both reading
// $states.input.
StepOutcome pass_jsonata(ExecutionRun& run, BranchProgress& progress, const CompiledState& state,
                         json::value input, std::int64_t entered, Lookups lookups) {
  progress.input = lookups.state_input = &input;  // moved here from the caller
  auto assigned = assigned_variables(state.fields.assign, input, lookups);
  if (!assigned) return failed(located(state, entered, assigned.error()), entered);
  auto output = apply_output(state.fields.output, std::move(input), lookups);
  if (!output) return failed(located(state, entered, output.error()), entered);
  if (too_large(*output)) return failed(data_limit_exceeded(state.fields.name), entered);
  return leave(run, progress, state, std::move(*output), entered, std::nullopt, *assigned);
}

}  // namespace

StepOutcome run_synchronous_state(ExecutionRun& run, BranchProgress& progress,
                                  const CompiledState& state, json::value input,
                                  std::int64_t previous_event_id) {
  progress.input = &input;
  std::int64_t entered = record_entered(run, state, input, previous_event_id);
  std::optional<json::value> context;
  auto entered_time = run.entered_time(state.fields.reads_context);
  if (state.fields.reads_context) context = context_for(run, state, entered_time, std::nullopt);
  Lookups ctx = lookups_for(progress, context);

  if (state.fields.query_language == states::QueryLanguage::jsonata &&
      (std::holds_alternative<states::PassState>(state.body) ||
       std::holds_alternative<states::SucceedState>(state.body)))
    return pass_jsonata(run, progress, state, std::move(input), entered, ctx);
  if (const auto* pass = std::get_if<states::PassState>(&state.body)) {
    json::value result;
    if (pass->result) {
      result = *pass->result;
    } else if (state.fields.input_path.mode == states::FilterPath::Mode::whole &&
               !state.fields.parameters &&
               state.fields.result_path.mode == states::ResultPath::Mode::replace) {
      result = std::move(input);  // the input is the result, and nothing else reads it
    } else {
      auto effective = effective_input(state.fields, input, ctx);
      if (!effective) return failed(located(state, entered, effective.error()), entered);
      result = std::move(*effective);
    }
    auto assigned = assigned_variables(state.fields.assign, result, ctx);
    if (!assigned) return failed(located(state, entered, assigned.error()), entered);
    auto output = state_output(state.fields, std::move(input), std::move(result), ctx);
    if (!output) return failed(located(state, entered, output.error()), entered);
    if (too_large(*output)) return failed(data_limit_exceeded(state.fields.name), entered);
    return leave(run, progress, state, std::move(*output), entered, std::nullopt, *assigned);
  }
  if (const auto* choice = std::get_if<states::ChoiceState>(&state.body)) {
    if (state.fields.query_language == states::QueryLanguage::jsonata)
      return choose_jsonata(run, progress, state, *choice, std::move(input), entered, ctx);
    auto effective = apply_filter_path(state.fields.input_path, std::move(input), ctx);
    if (!effective) return failed(located(state, entered, effective.error()), entered);
    auto selected = choice->select(ctx.over(*effective));
    if (!selected) return failed(located(state, entered, selected.error()), entered);
    // The chosen rule's Assign; the state's own only when the Default is taken.
    auto assigned = assigned_variables(selected->choice ? selected->choice->assign : state.fields.assign,
                                       *effective, ctx);
    if (!assigned) return failed(located(state, entered, assigned.error()), entered);
    auto output = apply_filter_path(state.fields.output_path, std::move(*effective), ctx);
    if (!output) return failed(located(state, entered, output.error()), entered);
    return leave(run, progress, state, std::move(*output), entered, selected->next, *assigned);
  }
  if (std::holds_alternative<states::SucceedState>(state.body)) {
    auto effective = apply_filter_path(state.fields.input_path, std::move(input), ctx);
    if (!effective) return failed(located(state, entered, effective.error()), entered);
    auto filtered = apply_filter_path(state.fields.output_path, std::move(*effective), ctx);
    if (!filtered) return failed(located(state, entered, filtered.error()), entered);
    auto output = apply_output(state.fields.output, std::move(*filtered), ctx);
    if (!output) return failed(located(state, entered, output.error()), entered);
    return leave(run, progress, state, std::move(*output), entered);
  }
  const auto& fail = std::get<states::FailState>(state.body);
  auto raised = state.fields.query_language == states::QueryLanguage::jsonata ? fail.evaluate(ctx.jsonata())
                                                                               : fail.evaluate(ctx.over(input));
  if (!raised) return failed(located(state, entered, raised.error()), entered);
  return failed(std::move(raised->failure), entered);
}

asio::awaitable<StepOutcome> run_asynchronous_state(ExecutionRun& run, BranchProgress& progress,
                                                    const CompiledState& state, json::value input,
                                                    std::int64_t previous_event_id,
                                                    const Checkpoint* resume) {
  progress.input = &input;
  std::int64_t entered = resume ? resume->entered : record_entered(run, state, input, previous_event_id);
  auto entered_time = resume ? resume->entered_time : run.entered_time(/*needed=*/true);
  progress.entered = entered;
  progress.entered_time = entered_time;
  progress.last = resume ? resume->last : entered;
  if (const auto* wait = std::get_if<states::WaitState>(&state.body)) {
    StepOutcome step = co_await run_wait(run, progress, state, *wait, std::move(input), entered, entered_time);
    if (step.kind == StepOutcome::Kind::fail)
      step.last_event_id = record_evaluation_failure(run, state, step.failure, step.last_event_id);
    co_return step;
  }

  // Task, Parallel and Map: attempts under Retry, then Catch.
  std::vector<std::int64_t> attempts(state.fields.retry.retriers.size(), 0);
  if (resume && resume->retries.size() == attempts.size()) attempts = resume->retries;
  progress.retries = &attempts;
  std::int64_t retry_count = resume ? resume->retry_count : 0;
  progress.retry_count = retry_count;
  std::int64_t previous = progress.last;
  // A resumed Map or Parallel attempt continues with its children; a Task starts again.
  const Checkpoint* children = resume && resume->started ? resume : nullptr;
  while (true) {
    auto context = context_for(run, state, entered_time, retry_count);
    Attempt attempt;
    try {
      if (const auto* task = std::get_if<states::TaskState>(&state.body))
        attempt = co_await attempt_task(run, progress, state, *task, input, context, entered, previous);
      else if (const auto* parallel = std::get_if<states::ParallelState>(&state.body))
        attempt = co_await attempt_parallel(run, progress, state, *parallel, input, context, entered,
                                            previous, std::exchange(children, nullptr));
      else
        attempt = co_await attempt_map(run, progress, state, std::get<states::MapState>(state.body),
                                       input, context, entered_time, entered, previous,
                                       std::exchange(children, nullptr));
    } catch (const boost::system::system_error& error) {
      // A cancelled task (a failed sibling, a stop, the execution's timeout) throws
      // operation_aborted; AWS records the state as aborted (TaskStateAborted).
      if (error.code() != asio::error::operation_aborted) throw;
      attempt = Attempt{Attempt::Kind::aborted, {}, {}, run.last_event_id, {}, {}, false};
    }

    if (attempt.kind == Attempt::Kind::aborted)
      co_return aborted(run, state, attempt.last_event_id);
    if (attempt.kind == Attempt::Kind::failed && !attempt.from_children)
      attempt.last_event_id = record_evaluation_failure(run, state, attempt.failure, attempt.last_event_id);
    if (attempt.kind == Attempt::Kind::succeeded)
      co_return leave(run, progress, state, std::move(attempt.output), attempt.last_event_id,
                      std::nullopt, attempt.assigned);

    const asl::Failure& failure = attempt.failure;
    std::string_view error = failure.error ? std::string_view(*failure.error) : std::string_view();
    if (auto retry = state.fields.retry.next_delay(error, attempts, run.rng)) {
      ++attempts[retry->retrier];
      ++retry_count;
      previous = attempt.last_event_id;
      // The counters are durable before the back-off: a resume continues with them.
      progress.retry_count = retry_count;
      progress.last = previous;
      progress.started = 0;
      run.moved(progress, BranchMove::advanced, Commit::now);
      auto delay = std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(retry->delay_seconds));
      try {
        co_await run.options.clock->sleep_until(run.options.clock->now() + delay);
      } catch (const boost::system::system_error& error) {
        if (error.code() != asio::error::operation_aborted) throw;
        // Stopped while backing off: the state was between attempts.
        co_return aborted(run, state, previous);
      }
      continue;
    }
    if (!attempt.state_failed_event.empty())
      attempt.last_event_id = run.record(attempt.state_failed_event, attempt.last_event_id);
    if (const states::Catcher* catcher = state.fields.catch_policy.select(error)) {
      json::value error_output = failure.to_error_output();
      // "$" ($states.errorOutput) in a Catcher's Assign is the error output; it sets the
      // variables of the branch the state is in (for a Parallel or Map, the enclosing scope).
      auto catch_context = context_for(run, state, entered_time, retry_count);
      Lookups lookups = lookups_for(progress, catch_context);
      lookups.error_output = &error_output;
      auto assigned = assigned_variables(catcher->assign, error_output, lookups);
      if (!assigned) co_return failed(located(state, entered, assigned.error()), attempt.last_event_id);
      auto output = state.fields.query_language == states::QueryLanguage::jsonata
                        ? apply_output(catcher->output, std::move(error_output), lookups)
                        : apply_result_path(catcher->result_path, std::move(input), std::move(error_output));
      if (!output) co_return failed(located(state, entered, output.error()), attempt.last_event_id);
      co_return leave(run, progress, state, std::move(*output), attempt.last_event_id, catcher->next,
                      *assigned);
    }
    co_return failed(failure, attempt.last_event_id);
  }
}

}  // namespace flowstate::runtime
