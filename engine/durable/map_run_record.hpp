// MapRunRecord: what the store keeps about one Map Run of a Distributed Map for DescribeMapRun
// and ListMapRuns — identity, status, dates, item count, limits and redrives; its child
// executions are ExecutionRecords naming it (ExecutionRecord::map_run). Stored as JSON under
// keys::map_run(ARN) (store format 1; the member names are the JSON's), written by the
// execution's StoreEventSink in the batches of its transitions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/execution.hpp"

namespace flowstate::durable {

struct MapRunRecord {
  std::string map_run_arn;
  std::string execution_arn;      ///< the execution whose Map state started it
  std::string state_machine_arn;  ///< its children's ("…:stateMachine:MACHINE/LABEL")
  /// The store id of the top-level execution whose child links (keys::child) lead to its
  /// children (a Map Run inside a Map Run child is recorded by the top-level execution).
  std::string owner;
  runtime::ExecutionStatus status = runtime::ExecutionStatus::running;
  std::chrono::system_clock::time_point start;
  std::optional<std::chrono::system_clock::time_point> stop;
  std::int64_t items = 0;
  runtime::MapRunLimits limits;
  std::int64_t redrive_count = 0;
  std::optional<std::chrono::system_clock::time_point> redrive_date;

  /// Takes in what a report says changed: the first report starts it; an ended one stops it;
  /// a higher redrive count is a redrive at the report's time.
  void apply(const runtime::MapRunReport& report);
};

boost::json::object to_json(const MapRunRecord& record);
std::optional<MapRunRecord> map_run_record_from_json(const boost::json::value& json);

}  // namespace flowstate::durable
