#include "engine/runtime/state_attempt.hpp"

#include <utility>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/task_events.hpp"

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

asio::awaitable<Attempt> attempt_task(ExecutionRun& run, BranchProgress& progress,
                                      const CompiledState& state,
                                      const states::TaskState& task, const json::value& input,
                                      const std::optional<json::value>& context,
                                      std::int64_t entered, std::int64_t previous) {
  Lookups lookups = lookups_for(progress, context);
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
    // Nothing can run it (a mock test case that leaves the state out, see check_resources in
    // tools/flowstate): a set-up error, so States.Runtime, which no Retry or Catch takes.
    std::string_view unmocked = run.options.mocks ? ", and the mock test case has no response for it" : "";
    asl::Failure failure =
        located(state, entered,
                asl::Failure(std::string(asl::error_name::kRuntime),
                             fmt::format("No task resource serves '{}'{}.", task.resource, unmocked)));
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
  co_return finish_attempt(state, entered, input, std::move(*result), lookups, succeeded);
}

}  // namespace flowstate::runtime
