#include "engine/durable/execution_record.hpp"

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/json_member.hpp"
#include "engine/data/timestamp.hpp"

namespace flowstate::durable {

namespace json = boost::json;
using std::chrono::system_clock;

namespace {

constexpr std::string_view kRegion = "us-east-1";
constexpr std::string_view kAccount = "123456789012";

using data::epoch_milliseconds;

system_clock::time_point from_millis(const json::value& value) {
  return data::from_epoch_milliseconds(value.is_int64()    ? value.get_int64()
                                       : value.is_uint64() ? static_cast<std::int64_t>(value.get_uint64())
                                                           : 0);
}

double epoch_seconds(system_clock::time_point time) {
  return static_cast<double>(epoch_milliseconds(time)) / 1000.0;
}

}  // namespace

std::string activity_arn(std::string_view name) {
  return fmt::format("arn:aws:states:{}:{}:activity:{}", kRegion, kAccount, name);
}

std::string state_machine_arn(std::string_view machine) {
  return fmt::format("arn:aws:states:{}:{}:stateMachine:{}", kRegion, kAccount, machine);
}

std::string execution_arn(std::string_view machine, std::string_view name) {
  return fmt::format("arn:aws:states:{}:{}:execution:{}:{}", kRegion, kAccount, machine, name);
}

std::optional<std::string> name_problem(std::string_view name) {
  // AWS's StartExecution name rule: no whitespace, brackets, wildcards, the special
  // characters below or control characters; everything else (dots, '@', '+', '=', '!',
  // '(', ')', non-ASCII letters) is a name character.
  constexpr std::string_view kRefused = "<>{}[]?*\"#%\\^|~`$&,;:/";
  if (name.empty() || name.size() > 80) return "must be 1 to 80 characters long";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || kRefused.find(c) != std::string_view::npos)
      return fmt::format("must not contain {} (AWS refuses whitespace, control characters and any of {})",
                         u == ' ' ? std::string("a space") : u < 0x20 || u == 0x7f ? std::string("a control character")
                                                                                   : fmt::format("'{}'", c),
                         kRefused);
  }
  return std::nullopt;
}

std::string ExecutionRecord::execution_arn() const { return durable::execution_arn(machine, name); }

std::string ExecutionRecord::state_machine_arn() const { return durable::state_machine_arn(machine); }

std::optional<runtime::ExecutionStatus> parse_status(std::string_view text) {
  using runtime::ExecutionStatus;
  for (auto status : {ExecutionStatus::running, ExecutionStatus::succeeded, ExecutionStatus::failed,
                      ExecutionStatus::timed_out, ExecutionStatus::aborted})
    if (runtime::to_string(status) == text) return status;
  return std::nullopt;
}

json::object to_json(const ExecutionRecord& record) {
  json::object out;
  out["id"] = record.id;
  out["name"] = record.name;
  out["machine"] = record.machine;
  out["definition"] = record.definition;
  out["file"] = record.file;
  out["status"] = runtime::to_string(record.status);
  out["input"] = record.input;
  if (record.output) out["output"] = *record.output;
  if (record.error) out["error"] = *record.error;
  if (record.cause) out["cause"] = *record.cause;
  out["start"] = epoch_milliseconds(record.start);
  if (record.stop) out["stop"] = epoch_milliseconds(*record.stop);
  out["redriveCount"] = record.redrive_count;
  if (record.redrive_date) out["redriveDate"] = epoch_milliseconds(*record.redrive_date);
  if (!record.parent.empty()) {
    out["parent"] = record.parent;
    out["invocation"] = record.invocation;
  }
  if (!record.map_run.empty()) out["mapRunArn"] = record.map_run;
  if (record.pid) out["pid"] = record.pid;
  add_run_settings(record.settings, out);
  if (!record.version_arn.empty()) out["stateMachineVersionArn"] = record.version_arn;
  if (!record.alias_arn.empty()) out["stateMachineAliasArn"] = record.alias_arn;
  return out;
}

std::optional<ExecutionRecord> execution_record_from_json(const json::value& value) {
  const json::object* object = value.if_object();
  if (!object) return std::nullopt;
  ExecutionRecord record;
  record.id = data::string_member(*object, "id");
  record.name = data::string_member(*object, "name");
  record.machine = data::string_member(*object, "machine");
  record.definition = data::string_member(*object, "definition");
  record.file = data::string_member(*object, "file");
  auto status = parse_status(data::string_member(*object, "status"));
  if (record.id.empty() || !status) return std::nullopt;
  record.status = *status;
  if (const json::value* input = object->if_contains("input")) record.input = *input;
  if (const json::value* output = object->if_contains("output")) record.output = *output;
  if (object->contains("error")) record.error = data::string_member(*object, "error");
  if (object->contains("cause")) record.cause = data::string_member(*object, "cause");
  if (const json::value* start = object->if_contains("start")) record.start = from_millis(*start);
  if (const json::value* stop = object->if_contains("stop")) record.stop = from_millis(*stop);
  if (const json::value* count = object->if_contains("redriveCount"); count && count->is_int64())
    record.redrive_count = count->get_int64();
  if (const json::value* date = object->if_contains("redriveDate"))
    record.redrive_date = from_millis(*date);
  record.parent = data::string_member(*object, "parent");
  record.invocation = data::string_member(*object, "invocation");
  record.map_run = data::string_member(*object, "mapRunArn");
  if (const json::value* pid = object->if_contains("pid"); pid && pid->is_int64())
    record.pid = static_cast<int>(pid->get_int64());
  record.settings = run_settings_from_json(*object);
  record.version_arn = data::string_member(*object, "stateMachineVersionArn");
  record.alias_arn = data::string_member(*object, "stateMachineAliasArn");
  return record;
}

json::object describe_execution(const ExecutionRecord& record) {
  using runtime::ExecutionStatus;
  // DescribeExecution: output only when SUCCEEDED; error/cause only when FAILED (a
  // TIMED_OUT execution carries neither, as AWS reports it). Dates are the API's epoch
  // seconds.
  json::object object;
  object["executionArn"] = record.execution_arn();
  object["stateMachineArn"] = record.state_machine_arn();
  object["name"] = record.name;
  object["status"] = runtime::to_string(record.status);
  object["startDate"] = epoch_seconds(record.start);
  if (!record.map_run.empty()) object["mapRunArn"] = record.map_run;
  if (!record.version_arn.empty()) object["stateMachineVersionArn"] = record.version_arn;
  if (!record.alias_arn.empty()) object["stateMachineAliasArn"] = record.alias_arn;
  if (record.stop && record.status != ExecutionStatus::running)
    object["stopDate"] = epoch_seconds(*record.stop);
  object["input"] = data::serialize_json(record.input);
  object["inputDetails"] = json::object{{"included", true}};
  if (record.output && record.status == ExecutionStatus::succeeded) {
    object["output"] = data::serialize_json(*record.output);
    object["outputDetails"] = json::object{{"included", true}};
  }
  if (record.status == ExecutionStatus::failed || record.status == ExecutionStatus::aborted) {
    if (record.error) object["error"] = *record.error;
    if (record.cause) object["cause"] = *record.cause;
  }
  object["redriveCount"] = record.redrive_count;
  if (record.redrive_date) object["redriveDate"] = epoch_seconds(*record.redrive_date);
  switch (record.status) {
    case ExecutionStatus::succeeded:
      object["redriveStatus"] = "NOT_REDRIVABLE";
      object["redriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven";
      break;
    case ExecutionStatus::running:
      object["redriveStatus"] = "NOT_REDRIVABLE";
      object["redriveStatusReason"] = "Execution is RUNNING and cannot be redriven";
      break;
    default: object["redriveStatus"] = "REDRIVABLE";
  }
  return object;
}

}  // namespace flowstate::durable
