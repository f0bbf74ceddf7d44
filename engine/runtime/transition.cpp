#include "engine/runtime/transition.hpp"

#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/context_object.hpp"
#include "engine/runtime/io_pipeline.hpp"
#include "engine/runtime/progress.hpp"
#include "engine/runtime/state_attempt.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

namespace {

// AWS lists an Assign's values on the state's *StateExited event, each as JSON text.
void add_assigned(json::object& details, const json::object& assigned) {
  json::object texts;
  for (const auto& member : assigned) texts[member.key()] = data::serialize_json(member.value());
  details["assignedVariables"] = std::move(texts);
  details["assignedVariablesDetails"] = json::object{{"truncated", false}};
}

std::int64_t record_entered(ExecutionRun& run, const BranchProgress& progress, const CompiledState& state,
                            const json::value& input, std::int64_t previous) {
  if (run.options.coverage) [[unlikely]]
    run.options.coverage->reached(state, CoveragePoint::entered, 0);
  std::int64_t entered = run.record(entered_event_type(state.fields.type), previous,
                                    [&] { return payload_details(state.fields.name, "input", input); });
  if (run.options.observer) [[unlikely]]
    run.options.observer->entered(progress);
  return entered;
}

// A Wait or a retry's back-off sleeps until `until`, shown to the observer meanwhile.
struct Sleeping {
  BranchProgress& progress;
  Sleeping(ExecutionRun& run, BranchProgress& progress_, std::chrono::system_clock::time_point until)
      : progress(progress_) {
    progress.sleeping_until = until;
    if (run.options.observer) run.options.observer->sleeping(progress);
  }
  Sleeping(const Sleeping&) = delete;
  Sleeping& operator=(const Sleeping&) = delete;
  ~Sleeping() { progress.sleeping_until = {}; }
};

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

// A Task whose failure ends a Parallel branch is recorded as aborted after its failure, as
// AWS records it (the Parallel stops the branch it stands in) [conformance:
// error_output.parallel_catch_error~*]. No recording shows a Map iteration's failing Task;
// it is left as its failure.
bool in_parallel_branch(const BranchProgress& progress) {
  const BranchProgress* parent = progress.parent;
  return parent && parent->machine->states[parent->state].fields.type == asl::StateType::parallel;
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
  lookups.observe(PipelineStage::after_input_path, *effective);
  // The deadline counts from the first entry, also when a resume comes back to it.
  states::JsonataScope jsonata_scope = lookups.jsonata();
  auto until = wait.until(lookups.over(*effective), entered_time, &jsonata_scope);
  if (!until) co_return failed(located(state, entered, until.error()), entered);
  auto assigned = assigned_variables(state.fields.assign, *effective, lookups);
  if (!assigned) co_return failed(located(state, entered, assigned.error()), entered);
  run.moved(progress, BranchMove::advanced, Commit::now);
  {
    Sleeping sleeping(run, progress, *until);
    co_await run.options.clock->sleep_until(*until);
  }
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
  if (run.options.coverage) [[unlikely]]
    run.options.coverage->reached(state, chosen ? CoveragePoint::choice_rule : CoveragePoint::choice_default,
                                  chosen ? static_cast<std::size_t>(chosen - choice.choices.data()) : 0);
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
  std::int64_t entered = record_entered(run, progress, state, input, previous_event_id);
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
    ctx.observe(PipelineStage::after_input_path, *effective);
    auto selected = choice->select(ctx.over(*effective));
    if (!selected) return failed(located(state, entered, selected.error()), entered);
    if (run.options.coverage) [[unlikely]]
      run.options.coverage->reached(
          state, selected->choice ? CoveragePoint::choice_rule : CoveragePoint::choice_default,
          selected->choice ? static_cast<std::size_t>(selected->choice - choice->choices.data()) : 0);
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
    ctx.observe(PipelineStage::after_input_path, *effective);
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
  std::int64_t entered = resume ? resume->entered : record_entered(run, progress, state, input, previous_event_id);
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
  // A callback Task keeps the token it was waiting on.
  const Checkpoint* waiting = resume && !resume->task_token.empty() ? resume : nullptr;
  while (true) {
    auto context = context_for(run, state, entered_time, retry_count);
    Attempt attempt;
    try {
      if (const auto* task = std::get_if<states::TaskState>(&state.body))
        attempt = co_await attempt_task(run, progress, state, *task, input, context, entered, previous,
                                        std::exchange(waiting, nullptr));
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
      if (run.options.coverage) [[unlikely]]
        run.options.coverage->reached(state, CoveragePoint::retrier, retry->retrier);
      ++retry_count;
      previous = attempt.last_event_id;
      // The counters are durable before the back-off: a resume continues with them.
      progress.retry_count = retry_count;
      progress.last = previous;
      progress.started = 0;
      progress.end_task_wait();
      run.moved(progress, BranchMove::advanced, Commit::now);
      auto delay = std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(retry->delay_seconds));
      try {
        auto until = run.options.clock->now() + delay;
        Sleeping sleeping(run, progress, until);
        co_await run.options.clock->sleep_until(until);
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
      if (run.options.coverage) [[unlikely]]
        run.options.coverage->reached(
            state, CoveragePoint::catcher,
            static_cast<std::size_t>(catcher - state.fields.catch_policy.catchers.data()));
      Attempt caught = catch_failure(run, progress, state, *catcher, failure, input, entered_time,
                                     retry_count, entered, attempt.last_event_id);
      if (caught.kind == Attempt::Kind::failed) co_return failed(std::move(caught.failure), caught.last_event_id);
      co_return leave(run, progress, state, std::move(caught.output), caught.last_event_id, catcher->next,
                      caught.assigned);
    }
    std::int64_t last = attempt.last_event_id;
    if (state.fields.type == asl::StateType::task && in_parallel_branch(progress))
      last = run.record("TaskStateAborted", last);
    co_return failed(failure, last);
  }
}

}  // namespace flowstate::runtime
