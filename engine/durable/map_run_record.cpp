#include "engine/durable/map_run_record.hpp"

#include "engine/data/json_member.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_record.hpp"

namespace flowstate::durable {

namespace json = boost::json;
using runtime::ExecutionStatus;

void MapRunRecord::apply(const runtime::MapRunReport& report) {
  if (map_run_arn.empty()) {
    map_run_arn = report.map_run_arn;
    start = report.time;
  }
  execution_arn = report.execution_arn;
  state_machine_arn = report.state_machine_arn;
  items = static_cast<std::int64_t>(report.items);
  limits = report.limits;
  status = report.status;
  if (status == ExecutionStatus::running) stop.reset();
  else stop = report.time;
  if (report.redrive_count > redrive_count) {
    redrive_count = report.redrive_count;
    redrive_date = report.time;
  }
}

json::object to_json(const MapRunRecord& record) {
  json::object out;
  out["mapRunArn"] = record.map_run_arn;
  out["executionArn"] = record.execution_arn;
  out["stateMachineArn"] = record.state_machine_arn;
  out["owner"] = record.owner;
  out["status"] = runtime::to_string(record.status);
  out["start"] = data::epoch_milliseconds(record.start);
  if (record.stop) out["stop"] = data::epoch_milliseconds(*record.stop);
  out["items"] = record.items;
  out["maxConcurrency"] = record.limits.max_concurrency;
  if (record.limits.tolerated_failure_count) out["toleratedFailureCount"] = *record.limits.tolerated_failure_count;
  if (record.limits.tolerated_failure_percentage)
    out["toleratedFailurePercentage"] = *record.limits.tolerated_failure_percentage;
  out["redriveCount"] = record.redrive_count;
  if (record.redrive_date) out["redriveDate"] = data::epoch_milliseconds(*record.redrive_date);
  return out;
}

std::optional<MapRunRecord> map_run_record_from_json(const json::value& value) {
  const json::object* object = value.if_object();
  if (!object) return std::nullopt;
  MapRunRecord record;
  record.map_run_arn = data::string_member(*object, "mapRunArn");
  auto status = parse_status(data::string_member(*object, "status"));
  if (record.map_run_arn.empty() || !status) return std::nullopt;
  record.execution_arn = data::string_member(*object, "executionArn");
  record.state_machine_arn = data::string_member(*object, "stateMachineArn");
  record.owner = data::string_member(*object, "owner");
  record.status = *status;
  record.start = data::from_epoch_milliseconds(data::integer_member(*object, "start"));
  if (object->contains("stop")) record.stop = data::from_epoch_milliseconds(data::integer_member(*object, "stop"));
  record.items = data::integer_member(*object, "items");
  record.limits.max_concurrency = data::integer_member(*object, "maxConcurrency");
  if (object->contains("toleratedFailureCount"))
    record.limits.tolerated_failure_count = data::integer_member(*object, "toleratedFailureCount");
  if (const json::value* percentage = object->if_contains("toleratedFailurePercentage");
      percentage && percentage->is_number())
    record.limits.tolerated_failure_percentage = percentage->to_number<double>();
  record.redrive_count = data::integer_member(*object, "redriveCount");
  if (object->contains("redriveDate"))
    record.redrive_date = data::from_epoch_milliseconds(data::integer_member(*object, "redriveDate"));
  return record;
}

}  // namespace flowstate::durable
