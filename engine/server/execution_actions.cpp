#include "engine/server/actions.hpp"

#include <algorithm>

#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/execution_launcher.hpp"
#include "engine/server/execution_target.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::awaitable;
using durable::ExecutionRecord;
using runtime::ExecutionStatus;

ExecutionRecord find_execution(const ApiContext& context, std::string_view arn) {
  auto [machine, name] = execution_name_of(arn);
  auto record = context.host.catalog().find(name);
  if (!record || record->name != name || record->machine != machine)
    throw ApiError("ExecutionDoesNotExist", fmt::format("Execution Does Not Exist: '{}'", arn));
  return std::move(*record);
}

namespace {

// A stateMachineArn as StartExecution takes it: what it runs, and the mock test case named
// after a '#' ("" when none).
struct StartTarget {
  ExecutionTarget target;
  std::string test_case;
};

StartTarget start_target(const ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "stateMachineArn");
  std::string test_case;
  if (auto hash = arn.find('#'); hash != std::string::npos) {
    test_case = arn.substr(hash + 1);
    arn.resize(hash);
  }
  return {execution_target(context, arn), std::move(test_case)};
}

// Checks a StartExecution / StartSyncExecution request and records the new execution; for a
// running execution of the same name and input (AWS's idempotent start), returns that one
// with `started` false.
struct Started {
  ExecutionRecord record;
  bool started = true;
};

Started create_execution(ApiContext& context, const json::object& request, StartTarget start) {
  const StateMachine& machine = start.target.machine;
  const std::string& test_case = start.test_case;
  auto name = optional_string(request, "name");
  json::value input = parsed_input(request);
  if (name) {
    if (auto problem = durable::name_problem(*name))
      throw ApiError("InvalidName", fmt::format("Invalid Name: '{}' {}", *name, *problem));
    if (auto existing = context.host.catalog().find(*name); existing && existing->name == *name) {
      if (existing->machine == machine.name && existing->status == ExecutionStatus::running && existing->input == input)
        return {std::move(*existing), false};
      throw ApiError("ExecutionAlreadyExists",
                     fmt::format("Execution Already Exists: '{}'", existing->execution_arn()));
    }
  }
  if (!test_case.empty()) {
    if (!context.settings.mocks)
      throw ApiError("ValidationException",
                     fmt::format("the state machine ARN names the test case '{}', but the server has no mock "
                                 "configuration (start it with --mock-config FILE or SFN_MOCK_CONFIG)",
                                 test_case));
    if (!context.settings.mocks->test_case(machine.name, test_case)) {
      std::string names = context.settings.mocks->test_case_names(machine.name);
      throw ApiError("ValidationException",
                     fmt::format("{}: no test case '{}' for state machine '{}'{}", context.settings.mock_config,
                                 test_case, machine.name,
                                 names.empty() ? std::string() : fmt::format(" (its test cases are {})", names)));
    }
  }
  durable::NewExecution execution;
  execution.definition = durable::DefinitionSource{"", std::move(start.target.definition)};
  execution.version_arn = std::move(start.target.version_arn);
  execution.alias_arn = std::move(start.target.alias_arn);
  execution.input = std::move(input);
  execution.name = name.value_or("");
  execution.machine = machine.name;
  if (!test_case.empty()) {
    execution.settings.mock_config = context.settings.mock_config;
    execution.settings.test_case = test_case;
  }
  execution.settings.lambda_endpoint = context.settings.lambda_endpoint;
  execution.settings.skip_waits = context.settings.skip_waits;
  try {
    return {context.host.create(std::move(execution)), true};
  } catch (const durable::ExecutionRefused& refused) {
    throw ApiError("ValidationException", refused.what());
  }
}

}  // namespace

json::value parsed_input(const json::object& request) {
  std::string text = optional_string(request, "input").value_or("{}");
  auto input = data::parse_json(text);
  if (!input)
    throw ApiError("InvalidExecutionInput",
                   fmt::format("Invalid State Machine Execution Input: '{}' (line {}, column {})",
                               input.error().message, input.error().line, input.error().column));
  if (data::serialized_size_exceeds(*input, asl::kMaxPayloadBytes))
    throw ApiError("InvalidExecutionInput",
                   fmt::format("Invalid State Machine Execution Input: larger than {} bytes", asl::kMaxPayloadBytes));
  return std::move(*input);
}

awaitable<json::object> start_execution(ApiContext& context, const json::object& request) {
  Started started = create_execution(context, request, start_target(context, request));
  json::object out{{"executionArn", started.record.execution_arn()},
                   {"startDate", epoch_seconds(started.record.start)}};
  if (started.started) launch_run(context, co_await asio::this_coro::executor, std::move(started.record));
  co_return out;
}

awaitable<json::object> start_sync_execution(ApiContext& context, const json::object& request) {
  StartTarget start = start_target(context, request);
  const StateMachine& machine = start.target.machine;
  if (machine.type != "EXPRESS")
    throw ApiError("StateMachineTypeNotSupported",
                   fmt::format("This operation is only supported by EXPRESS state machines; '{}' is {}",
                               machine.arn(), machine.type));
  Started started = create_execution(context, request, std::move(start));
  ExecutionRecord record = co_await context.host.run(std::move(started.record));
  json::object out = durable::describe_execution(record);
  for (std::string_view member : {"redriveCount", "redriveStatus", "redriveStatusReason", "redriveDate"})
    out.erase(member);
  if (record.status != ExecutionStatus::succeeded) {
    if (record.error) out["error"] = *record.error;
    if (record.cause) out["cause"] = *record.cause;
  }
  out["billingDetails"] = json::object{{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", 100}};
  co_return out;
}

awaitable<json::object> describe_execution(ApiContext& context, const json::object& request) {
  co_return durable::describe_execution(find_execution(context, required_string(request, "executionArn")));
}

awaitable<json::object> list_executions(ApiContext& context, const json::object& request) {
  auto machine_arn = optional_string(request, "stateMachineArn");
  auto map_run = optional_string(request, "mapRunArn");
  if (!machine_arn == !map_run)
    throw ApiError("ValidationException", "exactly one of stateMachineArn and mapRunArn must be given");
  std::optional<ExecutionStatus> status;
  if (auto filter = optional_string(request, "statusFilter")) {
    status = durable::parse_status(*filter);
    if (!status)
      throw ApiError("ValidationException",
                     fmt::format("1 validation error detected: Value '{}' at 'statusFilter' failed to satisfy "
                                 "constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, "
                                 "TIMED_OUT, ABORTED, PENDING_REDRIVE]",
                                 *filter));
  }
  Page page = requested_page(request);
  auto records = context.host.catalog().list(status);
  // AWS: "You can also return a list of executions associated with a specific alias or
  // version, by specifying an alias ARN or a version ARN in the stateMachineArn parameter."
  QualifiedStateMachine named = machine_arn ? qualified_state_machine_of(*machine_arn) : QualifiedStateMachine();
  std::string version_arn = named.version ? state_machine_version_arn(named.machine, *named.version) : std::string();
  std::string alias_arn = named.alias.empty() ? std::string() : state_machine_alias_arn(named.machine, named.alias);
  std::erase_if(records, [&](const ExecutionRecord& record) {
    if (map_run) return record.map_run != *map_run;
    return record.machine != named.machine || !record.map_run.empty() ||
           (named.version && record.version_arn != version_arn) || (!alias_arn.empty() && record.alias_arn != alias_arn);
  });
  if (machine_arn && records.empty()) {
    if (!context.machines.find(named.machine))
      throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", *machine_arn));
    if ((named.version && !context.machines.find_version(named.machine, *named.version)) ||
        (!named.alias.empty() && !context.machines.find_alias(named.machine, named.alias)))
      throw ApiError("ResourceNotFound", fmt::format("Resource not found: '{}'", *machine_arn));
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const ExecutionRecord& a, const ExecutionRecord& b) { return a.start > b.start; });
  json::array items;
  for (std::size_t i = page.first; i < records.size() && i < page.first + page.size; ++i) {
    json::object item = durable::describe_execution(records[i]);
    for (std::string_view member : {"input", "inputDetails", "output", "outputDetails", "error", "cause",
                                    "redriveStatus", "redriveStatusReason"})
      item.erase(member);
    items.push_back(std::move(item));
  }
  json::object out{{"executions", std::move(items)}};
  add_next_token(out, page, records.size());
  co_return out;
}

namespace {

// A stored event as the API sends it: its RFC 3339 timestamp as epoch seconds; without
// the execution's data when includeExecutionData is false.
json::value wire_event(json::value event, bool include_data) {
  json::object& object = event.get_object();
  if (json::value* timestamp = object.if_contains("timestamp"); timestamp && timestamp->is_string())
    if (auto parsed = data::Timestamp::parse(timestamp->get_string()))
      *timestamp = static_cast<double>(parsed->epoch_seconds) + static_cast<double>(parsed->nanos / 1'000'000) / 1000.0;
  if (!include_data)
    for (auto& [key, details] : object)
      if (key.ends_with("EventDetails") && details.is_object())
        for (std::string_view member : {"input", "output", "result", "parameters"}) details.get_object().erase(member);
  return event;
}

}  // namespace

awaitable<json::object> get_execution_history(ApiContext& context, const json::object& request) {
  ExecutionRecord record = find_execution(context, required_string(request, "executionArn"));
  Page page = requested_page(request);
  bool include_data = optional_bool(request, "includeExecutionData").value_or(true);
  std::vector<json::value> events;
  context.host.catalog().events(record.id, [&](const json::value& event) {
    events.push_back(event);
    return true;
  });
  if (optional_bool(request, "reverseOrder").value_or(false)) std::reverse(events.begin(), events.end());
  json::array items;
  for (std::size_t i = page.first; i < events.size() && i < page.first + page.size; ++i)
    items.push_back(wire_event(std::move(events[i]), include_data));
  json::object out{{"events", std::move(items)}};
  add_next_token(out, page, events.size());
  co_return out;
}

awaitable<json::object> stop_execution(ApiContext& context, const json::object& request) {
  ExecutionRecord record = find_execution(context, required_string(request, "executionArn"));
  auto error = optional_string(request, "error");
  auto cause = optional_string(request, "cause");
  if (record.status != ExecutionStatus::running)
    co_return json::object{{"stopDate", epoch_seconds(record.stop.value_or(record.start))}};
  if (!context.host.running(record.id))
    throw ApiError("ValidationException",
                   fmt::format("execution '{}' is RUNNING in another process, not in this server",
                               record.execution_arn()));
  std::optional<asl::Failure> reason;
  if (error || cause) reason = asl::Failure(std::move(error), std::move(cause));
  context.host.stop(record.id, std::move(reason));
  co_return json::object{{"stopDate", epoch_seconds(std::chrono::system_clock::now())}};
}

awaitable<json::object> redrive_execution(ApiContext& context, const json::object& request) {
  ExecutionRecord record = find_execution(context, required_string(request, "executionArn"));
  optional_string(request, "clientToken");
  if (record.status == ExecutionStatus::running || context.host.running(record.id))
    throw ApiError("ExecutionNotRedrivable",
                   fmt::format("Execution is RUNNING and cannot be redriven: '{}'", record.execution_arn()));
  try {
    context.host.redrive_plan(record, std::nullopt);
  } catch (const durable::ExecutionRefused& refused) {
    throw ApiError("ExecutionNotRedrivable", refused.what());
  }
  auto redrive_date = std::chrono::system_clock::now();
  launch_redrive(context, co_await asio::this_coro::executor, std::move(record));
  co_return json::object{{"redriveDate", epoch_seconds(redrive_date)}};
}

awaitable<json::object> describe_state_machine_for_execution(ApiContext& context, const json::object& request) {
  ExecutionRecord record = find_execution(context, required_string(request, "executionArn"));
  auto source = context.host.catalog().definition(record.definition);
  json::object out{{"stateMachineArn", record.state_machine_arn()},
                   {"name", record.machine},
                   {"definition", source ? source->text : std::string()},
                   {"roleArn", ""},
                   {"updateDate", epoch_seconds(record.start)}};
  if (auto machine = context.machines.find(record.machine)) {
    out["roleArn"] = machine->role_arn;
    out["updateDate"] = epoch_seconds(machine->update_date.value_or(machine->creation_date));
  }
  co_return out;
}

}  // namespace flowstate::server
