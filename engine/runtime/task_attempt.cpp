#include "engine/runtime/state_attempt.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/task_events.hpp"
#include "engine/runtime/task_tokens.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

namespace {

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

}  // namespace

namespace {

/// The task's result once the integration has returned: TaskSucceeded and the state's output.
Attempt task_succeeded(ExecutionRun& run, const CompiledState& state, const states::TaskState& task,
                       const TaskEvents& events, const json::value& input, json::value result,
                       const Lookups& lookups, std::int64_t entered, std::int64_t previous) {
  if (too_large(result)) {
    asl::Failure failure = data_limit_exceeded(
        !events.names_resource() ? std::string_view(task.resource)
        : events.resource_type == "flowstate" ? std::string_view(state.fields.name)
                                              : std::string_view(events.resource_type));
    std::int64_t id = run.record(events.failed(), previous,
                                 [&] { return events.with_resource(failure_details(failure)); });
    return Attempt::fail(std::move(failure), id);
  }
  std::int64_t succeeded = run.record(events.succeeded(), previous, [&] {
    return events.with_resource(payload_details({}, "output", result));
  });
  return finish_attempt(state, entered, input, std::move(result), lookups, succeeded);
}

// Task timeouts use real time, also with --skip-waits (whose clock jumps over waits): `from`
// is a system_clock reading.
std::chrono::steady_clock::time_point steady_deadline(std::optional<std::int64_t> seconds,
                                                      std::chrono::system_clock::time_point from) {
  if (!seconds) return std::chrono::steady_clock::time_point::max();
  auto elapsed = std::chrono::system_clock::now() - from;
  return std::chrono::steady_clock::now() + std::chrono::seconds(*seconds) -
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed);
}

// A callback task whose integration returned (TaskSubmitted): waits for SendTaskSuccess or
// SendTaskFailure on its token. TimeoutSeconds counts from TaskStarted (also across a resume);
// HeartbeatSeconds from TaskStarted, then from each SendTaskHeartbeat (after a resume, from
// the resume). Either running out is States.Timeout in TaskTimedOut, as AWS records it.
asio::awaitable<Attempt> await_callback(ExecutionRun& run, BranchProgress& progress,
                                        const CompiledState& state, const states::TaskState& task,
                                        const TaskEvents& events, TaskTokens::Waiter& waiter,
                                        const json::value& input, const Lookups& lookups,
                                        std::optional<std::int64_t> timeout,
                                        std::optional<std::int64_t> heartbeat,
                                        std::chrono::system_clock::time_point heartbeat_from,
                                        std::int64_t entered, std::int64_t previous) {
  const auto total_deadline = steady_deadline(timeout, progress.task_started);
  auto heartbeat_deadline = steady_deadline(heartbeat, heartbeat_from);
  while (true) {
    std::optional<TaskAnswer> answer = co_await waiter.next(std::min(total_deadline, heartbeat_deadline));
    if (!answer) {
      bool missed_heartbeat = heartbeat_deadline < total_deadline;
      asl::Failure failure(
          std::string(asl::error_name::kTimeout),
          missed_heartbeat
              ? fmt::format("The task token received no SendTaskHeartbeat, SendTaskSuccess or "
                            "SendTaskFailure within {} (HeartbeatSeconds).",
                            tasks::seconds_text(std::chrono::seconds(*heartbeat)))
              : fmt::format("The task token received no SendTaskSuccess or SendTaskFailure "
                            "within {} (TimeoutSeconds).",
                            tasks::seconds_text(std::chrono::seconds(*timeout))));
      progress.end_task_wait();
      std::int64_t id = run.record(events.timed_out(), previous,
                                   [&] { return events.with_resource(failure_details(failure)); });
      co_return Attempt::fail(std::move(failure), id);
    }
    switch (answer->kind) {
      case TaskAnswer::Kind::started:  // an activity's worker; the caller handled it
        continue;
      case TaskAnswer::Kind::heartbeat:
        if (heartbeat)
          heartbeat_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*heartbeat);
        continue;
      case TaskAnswer::Kind::failure: {
        asl::Failure failure(std::move(answer->error), std::move(answer->cause));
        progress.end_task_wait();
        std::int64_t id = run.record(events.failed(), previous,
                                     [&] { return events.with_resource(failure_details(failure)); });
        co_return Attempt::fail(std::move(failure), id);
      }
      case TaskAnswer::Kind::success:
        progress.end_task_wait();
        co_return task_succeeded(run, state, task, events, input, std::move(answer->output), lookups,
                                 entered, previous);
    }
  }
}

// A task whose wait was checkpointed (its integration had returned, or a worker had taken
// it) when its process stopped: it waits for the same token again. TimeoutSeconds still
// counts from the task's start, HeartbeatSeconds from now.
asio::awaitable<Attempt> wait_again(ExecutionRun& run, BranchProgress& progress, const CompiledState& state,
                                    const states::TaskState& task, const TaskEvents& events,
                                    TaskTokens::Waiter& waiter, const json::value& input, const Lookups& lookups,
                                    std::optional<std::int64_t> timeout, std::optional<std::int64_t> heartbeat,
                                    const Checkpoint& resumed, std::int64_t entered) {
  progress.task_token = resumed.task_token;
  progress.task_started = resumed.task_started;
  progress.task_submitted = true;
  co_return co_await await_callback(run, progress, state, task, events, waiter, input, lookups, timeout,
                                    heartbeat, std::chrono::system_clock::now(), entered, resumed.last);
}

// The details of TaskScheduled, LambdaFunctionScheduled or ActivityScheduled.
json::object scheduled_details(const ExecutionRun& run, const states::TaskState& task, const TaskEvents& events,
                               const json::value& effective, std::optional<std::int64_t> timeout,
                               std::optional<std::int64_t> heartbeat) {
  json::object details;
  if (events.names_resource()) {
    details["resourceType"] = events.resource_type;
    details["resource"] = events.resource;
    details["region"] = run.options.region;
    details["parameters"] = data::serialize_json(effective);
  } else {
    details["resource"] = task.resource;
    details["input"] = data::serialize_json(effective);
    details["inputDetails"] = json::object{{"truncated", false}};
  }
  if (timeout) details["timeoutInSeconds"] = *timeout;
  if (heartbeat && !events.lambda_function) details["heartbeatInSeconds"] = *heartbeat;
  return details;
}

// An activity Task: ActivityScheduled, then it waits in the activity queue until a worker
// takes it with GetActivityTask (ActivityStarted, with the worker's name), then for the
// worker's SendTask* answers. TimeoutSeconds and HeartbeatSeconds count from ActivityStarted,
// as AWS documents: a task no worker takes waits for one. A resumed task that no worker had
// taken is offered again with its token; one that a worker had taken keeps waiting for that
// worker's answer (its timeouts still count from ActivityStarted).
asio::awaitable<Attempt> attempt_activity(ExecutionRun& run, BranchProgress& progress, const CompiledState& state,
                                          const states::TaskState& task, const TaskEvents& events,
                                          const json::value& effective, const json::value& input,
                                          const Lookups& lookups, std::optional<std::int64_t> timeout,
                                          std::optional<std::int64_t> heartbeat, std::string token,
                                          std::int64_t entered, std::int64_t previous,
                                          const Checkpoint* resumed_wait) {
  // ActivityScheduleFailed, States.Runtime: a set-up error that no Retry or Catch takes.
  auto schedule_failed = [&](std::string cause) {
    asl::Failure failure =
        located(state, entered, asl::Failure(std::string(asl::error_name::kRuntime), std::move(cause)));
    std::int64_t id = run.record(events.start_failed(), previous, [&] { return failure_details(failure); });
    return Attempt::fail(std::move(failure), id);
  };
  if (!run.options.activities || !run.options.tokens)
    co_return schedule_failed(fmt::format("The activity '{}' has no workers here: activity tasks run under "
                                          "'flowstate server', where workers take them with GetActivityTask; "
                                          "or mock the state.",
                                          task.resource));
  if (run.options.activities->known && !run.options.activities->known(task.resource))
    co_return schedule_failed(fmt::format("The activity '{}' does not exist: create it with CreateActivity "
                                          "(its ARN is then arn:aws:states:{}:{}:activity:NAME).",
                                          task.resource, run.options.region, run.options.account));
  TaskTokens::Waiter waiter(*run.options.tokens, co_await asio::this_coro::executor, token);
  progress.task_token = token;
  if (resumed_wait && resumed_wait->task_submitted)
    co_return co_await wait_again(run, progress, state, task, events, waiter, input, lookups, timeout, heartbeat,
                                  *resumed_wait, entered);
  std::int64_t scheduled = resumed_wait ? resumed_wait->last : 0;
  if (!resumed_wait) {
    scheduled = run.record(events.scheduled(), previous,
                           [&] { return scheduled_details(run, task, events, effective, timeout, heartbeat); });
    // The token is durable before any worker can see it; its clock starts with a worker.
    progress.task_submitted = false;
    progress.last = scheduled;
    run.moved(progress, BranchMove::advanced, Commit::now);
  }
  run.options.activities->offer(task.resource, ActivityTask{token, data::serialize_json(effective)});
  std::string worker;
  while (true) {
    std::optional<TaskAnswer> answer = co_await waiter.next(std::chrono::steady_clock::time_point::max());
    if (!answer) continue;  // no deadline: only an answer ends the wait
    if (answer->kind == TaskAnswer::Kind::started) {
      worker = std::move(answer->worker);
      break;
    }
    if (answer->kind == TaskAnswer::Kind::heartbeat) continue;
    // Answered before any worker took it (the token reached someone through the input):
    // the answer stands.
    run.options.tokens->deliver(token, std::move(*answer));
    break;
  }
  std::int64_t started = run.record(events.started(), scheduled,
                                    [&] { return json::object{{"workerName", worker}}; });
  progress.task_started = std::chrono::system_clock::now();
  progress.task_submitted = true;
  progress.last = started;
  run.moved(progress, BranchMove::advanced, Commit::now);
  co_return co_await await_callback(run, progress, state, task, events, waiter, input, lookups, timeout, heartbeat,
                                    progress.task_started, entered, started);
}

}  // namespace

asio::awaitable<Attempt> attempt_task(ExecutionRun& run, BranchProgress& progress,
                                      const CompiledState& state,
                                      const states::TaskState& task, const json::value& input,
                                      const std::optional<json::value>& context,
                                      std::int64_t entered, std::int64_t previous,
                                      const Checkpoint* resumed_wait) {
  // A callback task's token is in its context object ($$.Task.Token); a resume of a task
  // that was waiting keeps its token.
  std::string token;
  if (task.waits_for_callback || task.activity)
    token = resumed_wait ? resumed_wait->task_token : make_task_token(run.options.id);
  std::optional<json::value> callback_context;
  if (!token.empty() && context) {
    callback_context = *context;
    callback_context->as_object()["Task"] = json::object{{"Token", token}};
  }
  Lookups lookups = lookups_for(progress, callback_context ? callback_context : context);
  auto effective = effective_input(state.fields, input, lookups);
  if (!effective) co_return Attempt::fail(located(state, entered, effective.error()), previous);
  std::optional<std::int64_t> timeout, heartbeat;
  if (state.fields.query_language == states::QueryLanguage::jsonata) {
    auto timeout_value = task.jsonata_timeout.evaluate(lookups.jsonata());
    if (!timeout_value) co_return Attempt::fail(located(state, entered, timeout_value.error()), previous);
    auto heartbeat_value = task.jsonata_heartbeat.evaluate(lookups.jsonata());
    if (!heartbeat_value) co_return Attempt::fail(located(state, entered, heartbeat_value.error()), previous);
    timeout = *timeout_value;
    heartbeat = *heartbeat_value;
  } else {
    data::PathScope scope = lookups.over(*effective);
    timeout = seconds_from(task.timeout_seconds, task.timeout_seconds_path, scope);
    heartbeat = seconds_from(task.heartbeat_seconds, task.heartbeat_seconds_path, scope);
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
  // A mocked callback task's response is the callback's answer.
  bool mocked = run.options.mocks && run.options.mocks->mocks(state.fields.name);
  tasks::TaskResource* resource =
      mocked || !run.options.resources ? nullptr : run.options.resources->find(task.integration);
  TaskEvents events = task_events_for(task.resource);
  if (task.activity && !mocked)
    co_return co_await attempt_activity(run, progress, state, task, events, *effective, input, lookups, timeout,
                                        heartbeat, std::move(token), entered, previous, resumed_wait);
  bool callback = task.waits_for_callback && !mocked;
  std::optional<TaskTokens::Waiter> waiter;
  if (callback && resource && run.options.tokens) {
    // Waiting from before the integration runs: it may answer before it returns.
    waiter.emplace(*run.options.tokens, co_await asio::this_coro::executor, token);
    // The integration had returned before the process stopped: wait for the same token.
    if (resumed_wait && resumed_wait->task_submitted)
      co_return co_await wait_again(run, progress, state, task, events, *waiter, input, lookups, timeout,
                                    heartbeat, *resumed_wait, entered);
  }
  std::int64_t scheduled = run.record(events.scheduled(), previous, [&] {
    return scheduled_details(run, task, events, *effective, timeout, heartbeat);
  });
  if ((!resource && !mocked) || (callback && !run.options.tokens)) {
    // Nothing can run it (a mock test case that leaves the state out, see check_resources in
    // tools/flowstate), or nothing could answer it (an in-memory run): a set-up error, so
    // States.Runtime, which no Retry or Catch takes.
    std::string cause =
        !resource && !mocked
            ? fmt::format("No task resource serves '{}'{}.", task.integration,
                          run.options.mocks ? ", and the mock test case has no response for it" : "")
            : fmt::format("The callback task '{}' needs the store to receive SendTaskSuccess or "
                          "SendTaskFailure; run without --no-store, or mock it.",
                          state.fields.name);
    asl::Failure failure = located(state, entered, asl::Failure(std::string(asl::error_name::kRuntime), cause));
    std::int64_t id = run.record(events.start_failed(), scheduled,
                                 [&] { return events.with_resource(failure_details(failure)); });
    co_return Attempt::fail(std::move(failure), id);
  }
  std::int64_t started = run.record(events.started(), scheduled,
                                    [&] { return events.with_resource(json::object()); });
  // The task's start is durable before it runs: a crash from here on runs it again. A
  // callback task's token is in the checkpoint from here on, so SendTask* calls find it.
  progress.last = started;
  if (waiter) {
    progress.task_token = token;
    progress.task_started = resumed_wait ? resumed_wait->task_started : std::chrono::system_clock::now();
    progress.task_submitted = false;
  }
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
    request.resource = task.integration;
    request.state_name = state.fields.name;
    request.parameters = std::move(*effective);
    request.task_token = token;
    request.working_directory = run.options.working_directory;
    if (timeout) request.timeout = std::chrono::seconds(*timeout);
    // A callback's heartbeats are SendTaskHeartbeat calls, not the integration's output.
    if (heartbeat && !callback) request.heartbeat = std::chrono::seconds(*heartbeat);
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
    progress.end_task_wait();
    std::int64_t id = run.record(timed_out ? events.timed_out() : events.failed(), started,
                                 [&] { return events.with_resource(failure_details(failure)); });
    co_return Attempt::fail(failure, id);
  }
  if (waiter) {
    // The integration returned (AWS records its response): from here on the task waits.
    std::int64_t submitted = run.record("TaskSubmitted", started, [&] {
      return events.with_resource(payload_details({}, "output", *result));
    });
    progress.task_submitted = true;
    progress.last = submitted;
    run.moved(progress, BranchMove::advanced, Commit::now);
    co_return co_await await_callback(run, progress, state, task, events, *waiter, input, lookups,
                                      timeout, heartbeat, progress.task_started, entered, submitted);
  }
  co_return task_succeeded(run, state, task, events, input, std::move(*result), lookups, entered,
                           started);
}

}  // namespace flowstate::runtime
