// HistoryEvent: one entry of an execution's history, with AWS's event type names
// (GetExecutionHistory) and details. Ids are consecutive from 1; previousEventId points at
// the event that led to this one on the same branch.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "engine/asl/state_type.hpp"

namespace flowstate::runtime {

struct HistoryEvent {
  std::int64_t id = 0;
  std::int64_t previous_id = 0;
  std::chrono::system_clock::time_point timestamp;
  std::string type;  ///< e.g. "TaskStateEntered", "MapIterationStarted"
  /// The "<camelCaseType>EventDetails" member, e.g. {"name": ..., "input": "..."}.
  boost::json::object details;
};

/// "PassStateEntered", "TaskStateExited", ... for a state type.
std::string_view entered_event_type(asl::StateType type);
std::string_view exited_event_type(asl::StateType type);
std::string_view aborted_event_type(asl::StateType type);
/// The details member name for an event type: "TaskStateEntered" → "stateEnteredEventDetails".
std::string details_member_name(std::string_view event_type);

/// Appends the event as GetExecutionHistory returns it, as compact JSON: {"timestamp",
/// "type", "id", "previousEventId", "<camelCaseType>EventDetails"} (the details member only
/// when it has fields). Timestamps are RFC 3339 with milliseconds. Written field by field:
/// this runs for every event a durable execution records.
void append_event_json(std::string& out, const HistoryEvent& event);

}  // namespace flowstate::runtime
