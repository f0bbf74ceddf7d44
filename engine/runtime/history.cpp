#include "engine/runtime/history.hpp"

#include <cctype>

#include "engine/data/timestamp.hpp"

namespace flowstate::runtime {

namespace {

// Indexed by StateType.
constexpr std::string_view kEntered[] = {"PassStateEntered",    "TaskStateEntered",
                                         "ChoiceStateEntered",  "WaitStateEntered",
                                         "SucceedStateEntered", "FailStateEntered",
                                         "ParallelStateEntered", "MapStateEntered"};
constexpr std::string_view kExited[] = {"PassStateExited",    "TaskStateExited",
                                        "ChoiceStateExited",  "WaitStateExited",
                                        "SucceedStateExited", "FailStateExited",
                                        "ParallelStateExited", "MapStateExited"};
constexpr std::string_view kAborted[] = {"PassStateAborted",    "TaskStateAborted",
                                         "ChoiceStateAborted",  "WaitStateAborted",
                                         "SucceedStateAborted", "FailStateAborted",
                                         "ParallelStateAborted", "MapStateAborted"};

}  // namespace

std::string_view entered_event_type(asl::StateType type) { return kEntered[static_cast<int>(type)]; }
std::string_view exited_event_type(asl::StateType type) { return kExited[static_cast<int>(type)]; }
std::string_view aborted_event_type(asl::StateType type) { return kAborted[static_cast<int>(type)]; }

std::string details_member_name(std::string_view event_type) {
  if (event_type.ends_with("StateEntered")) return "stateEnteredEventDetails";
  if (event_type.ends_with("StateExited")) return "stateExitedEventDetails";
  std::string name(event_type);
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name + "EventDetails";
}

boost::json::object to_json(const HistoryEvent& event) {
  boost::json::object out;
  out["timestamp"] = data::format_timestamp(
      std::chrono::floor<std::chrono::milliseconds>(event.timestamp));
  out["type"] = event.type;
  out["id"] = event.id;
  out["previousEventId"] = event.previous_id;
  if (!event.details.empty()) out[details_member_name(event.type)] = event.details;
  return out;
}

}  // namespace flowstate::runtime
