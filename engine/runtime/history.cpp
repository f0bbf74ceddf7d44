#include "engine/runtime/history.hpp"

#include <cctype>
#include <charconv>

#include "engine/data/json_codec.hpp"
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

void append_integer(std::string& out, std::int64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

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

void append_event_json(std::string& out, const HistoryEvent& event) {
  // Events come in bursts within one millisecond: format each millisecond once.
  static thread_local std::chrono::system_clock::time_point last_time{};
  static thread_local std::string last_text;
  auto time = std::chrono::floor<std::chrono::milliseconds>(event.timestamp);
  if (time != last_time || last_text.empty()) {
    last_time = time;
    last_text = data::format_timestamp(time);
  }
  out += R"({"timestamp":")";
  out += last_text;
  out += R"(","type":")";
  out += event.type;  // AWS's type names need no escaping
  out += R"(","id":)";
  append_integer(out, event.id);
  out += R"(,"previousEventId":)";
  append_integer(out, event.previous_id);
  if (!event.details.empty()) {
    // The two names of most events without building a string (longer than SSO).
    if (event.type.ends_with("StateEntered")) {
      out += R"(,"stateEnteredEventDetails":)";
    } else if (event.type.ends_with("StateExited")) {
      out += R"(,"stateExitedEventDetails":)";
    } else {
      out += R"(,")";
      out += details_member_name(event.type);
      out += R"(":)";
    }
    data::append_json(out, event.details);
  }
  out += '}';
}

}  // namespace flowstate::runtime
