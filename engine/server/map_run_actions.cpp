// ListMapRuns, DescribeMapRun and UpdateMapRun: the Map Runs of Distributed Maps, read from
// the records their executions' sinks keep (durable::MapRunRecord) and from their child
// executions; an update goes to the Map Run running in this process (runtime::MapRunControls),
// which keeps the new limits in its state's checkpoint and its record.
#include "engine/server/actions.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "engine/durable/execution_catalog.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace json = boost::json;
using durable::ExecutionRecord;
using durable::MapRunRecord;
using runtime::ExecutionStatus;

namespace {

MapRunRecord find_map_run(const ApiContext& context, std::string_view arn) {
  map_run_name_of(arn);
  auto record = context.host.catalog().map_run(arn);
  if (!record)
    throw ApiError("ResourceNotFound", fmt::format("Could not find the referenced resource: '{}'", arn));
  return std::move(*record);
}

// MapRunItemCounts and MapRunExecutionCounts. Each child execution processes one item (ItemBatcher
// is not supported), so the two differ only in what has not started: items not started yet are
// pending; a child execution exists only once it started, so none is pending.
json::object counts(const MapRunRecord& map_run, const std::vector<ExecutionRecord>& children,
                    const ExecutionRecord* parent, bool of_items) {
  std::int64_t by_status[5] = {};
  for (const ExecutionRecord& child : children) ++by_status[static_cast<int>(child.status)];
  auto started = static_cast<std::int64_t>(children.size());
  std::int64_t unsuccessful = by_status[static_cast<int>(ExecutionStatus::failed)] +
                              by_status[static_cast<int>(ExecutionStatus::timed_out)] +
                              by_status[static_cast<int>(ExecutionStatus::aborted)];
  // A redriven Map Run's unsuccessful children wait to be redriven until it runs them again; once
  // its execution SUCCEEDED (the failures were tolerated or caught), nothing can redrive them.
  bool redriving = map_run.status == ExecutionStatus::running && map_run.redrive_count > 0;
  bool final = parent && parent->status == ExecutionStatus::succeeded;
  return json::object{
      {"pending", of_items ? std::max<std::int64_t>(map_run.items - started, 0) : 0},
      {"running", by_status[static_cast<int>(ExecutionStatus::running)]},
      {"succeeded", by_status[static_cast<int>(ExecutionStatus::succeeded)]},
      {"failed", by_status[static_cast<int>(ExecutionStatus::failed)]},
      {"timedOut", by_status[static_cast<int>(ExecutionStatus::timed_out)]},
      {"aborted", by_status[static_cast<int>(ExecutionStatus::aborted)]},
      {"total", of_items ? std::max(map_run.items, started) : started},
      {"resultsWritten", 0},  // no ResultWriter
      {"failuresNotRedrivable", final ? unsuccessful : 0},
      {"pendingRedrive", redriving ? unsuccessful : 0}};
}

// "1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: ..."
// for each value out of UpdateMapRun's ranges (API_UpdateMapRun: maxConcurrency and
// toleratedFailureCount at least 0, toleratedFailurePercentage 0 to 100).
void check_ranges(const runtime::MapRunUpdate& update) {
  std::vector<std::string> problems;
  auto at_least_zero = [&](std::string_view member, auto value) {
    if (value && *value < 0)
      problems.push_back(fmt::format("Value '{}' at '{}' failed to satisfy constraint: Member must have value "
                                     "greater than or equal to 0",
                                     *value, member));
  };
  at_least_zero("maxConcurrency", update.max_concurrency);
  at_least_zero("toleratedFailurePercentage", update.tolerated_failure_percentage);
  if (update.tolerated_failure_percentage && *update.tolerated_failure_percentage > 100)
    problems.push_back(fmt::format("Value '{}' at 'toleratedFailurePercentage' failed to satisfy constraint: "
                                   "Member must have value less than or equal to 100",
                                   *update.tolerated_failure_percentage));
  at_least_zero("toleratedFailureCount", update.tolerated_failure_count);
  if (problems.empty()) return;
  throw ApiError("ValidationException",
                 fmt::format("{} validation error{} detected: {}", problems.size(), problems.size() == 1 ? "" : "s",
                             fmt::join(problems, "; ")));
}

}  // namespace

awaitable<json::object> list_map_runs(ApiContext& context, const json::object& request) {
  ExecutionRecord execution = find_execution(context, required_string(request, "executionArn"));
  Page page = requested_page(request);
  const durable::ExecutionCatalog& catalog = context.host.catalog();
  std::vector<MapRunRecord> map_runs;
  catalog.events(execution.id, [&](const json::value& event) {
    const json::object& object = event.get_object();
    const json::value* type = object.if_contains("type");
    if (!type || !type->is_string() || type->get_string() != "MapRunStarted") return true;
    if (const json::value* details = object.if_contains("mapRunStartedEventDetails"); details && details->is_object())
      if (const json::value* arn = details->get_object().if_contains("mapRunArn"); arn && arn->is_string())
        if (auto record = catalog.map_run(arn->get_string())) map_runs.push_back(std::move(*record));
    return true;
  });
  // The most recent first, as AWS's List* actions order their answers.
  std::stable_sort(map_runs.begin(), map_runs.end(),
                   [](const MapRunRecord& a, const MapRunRecord& b) { return a.start > b.start; });
  json::array items;
  for (std::size_t i = page.first; i < map_runs.size() && i < page.first + page.size; ++i) {
    const MapRunRecord& map_run = map_runs[i];
    json::object item{{"executionArn", map_run.execution_arn},
                      {"mapRunArn", map_run.map_run_arn},
                      {"stateMachineArn", map_run.state_machine_arn},
                      {"startDate", epoch_seconds(map_run.start)}};
    if (map_run.stop) item["stopDate"] = epoch_seconds(*map_run.stop);
    items.push_back(std::move(item));
  }
  json::object out{{"mapRuns", std::move(items)}};
  add_next_token(out, page, map_runs.size());
  co_return out;
}

awaitable<json::object> describe_map_run(ApiContext& context, const json::object& request) {
  MapRunRecord map_run = find_map_run(context, required_string(request, "mapRunArn"));
  const durable::ExecutionCatalog& catalog = context.host.catalog();
  std::vector<ExecutionRecord> children = catalog.map_run_children(map_run);
  std::optional<ExecutionRecord> parent;
  try {
    parent = find_execution(context, map_run.execution_arn);
  } catch (const ApiError&) {
    // Not in the store any more: no count depends on it then.
  }
  json::object out{{"mapRunArn", map_run.map_run_arn},
                   {"executionArn", map_run.execution_arn},
                   {"status", runtime::to_string(map_run.status)},
                   {"startDate", epoch_seconds(map_run.start)}};
  if (map_run.stop) out["stopDate"] = epoch_seconds(*map_run.stop);
  out["maxConcurrency"] = map_run.limits.max_concurrency;
  out["toleratedFailurePercentage"] = map_run.limits.tolerated_failure_percentage.value_or(0.0);
  out["toleratedFailureCount"] = map_run.limits.tolerated_failure_count.value_or(0);
  out["itemCounts"] = counts(map_run, children, parent ? &*parent : nullptr, /*of_items=*/true);
  out["executionCounts"] = counts(map_run, children, parent ? &*parent : nullptr, /*of_items=*/false);
  out["redriveCount"] = map_run.redrive_count;
  if (map_run.redrive_date) out["redriveDate"] = epoch_seconds(*map_run.redrive_date);
  co_return out;
}

awaitable<json::object> update_map_run(ApiContext& context, const json::object& request) {
  MapRunRecord map_run = find_map_run(context, required_string(request, "mapRunArn"));
  runtime::MapRunUpdate update;
  update.max_concurrency = optional_integer(request, "maxConcurrency");
  update.tolerated_failure_percentage = optional_number(request, "toleratedFailurePercentage");
  update.tolerated_failure_count = optional_integer(request, "toleratedFailureCount");
  check_ranges(update);
  // "Updates an in-progress Map Run's configuration": one that ended answers ValidationException
  // with the reason CANNOT_UPDATE_COMPLETED_MAP_RUN.
  if (map_run.status != ExecutionStatus::running)
    throw ApiError("ValidationException", fmt::format("Map Run '{}' is {} and can no longer be updated",
                                                      map_run.map_run_arn, runtime::to_string(map_run.status)))
        .with_reason("CANNOT_UPDATE_COMPLETED_MAP_RUN");
  if (!context.host.map_runs().update(map_run.map_run_arn, update))
    throw ApiError("ValidationException",
                   fmt::format("Map Run '{}' is RUNNING in another process, not in this server", map_run.map_run_arn));
  co_return json::object();
}

}  // namespace flowstate::server
