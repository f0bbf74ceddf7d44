// check_history: whether an execution's history (the "events" of GetExecutionHistory, as
// `flowstate history --format json` prints them) is well-formed — ids 1..N with no gap, every
// previousEventId pointing back, every *StateEntered closed by its *StateExited or
// *StateAborted later on, or still in flight. Header-only test harness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

namespace flowstate::test {

struct HistoryShape {
  std::vector<std::string> problems;  ///< empty when well-formed
  /// States entered and not (yet) exited or aborted, as "TaskState Name" with a count.
  std::map<std::string, int> in_flight;
};

inline HistoryShape check_history(const boost::json::array& events) {
  HistoryShape shape;
  auto text = [](const boost::json::object& event, std::string_view key) -> std::string {
    const boost::json::value* value = event.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  auto integer = [](const boost::json::object& event, std::string_view key) -> std::int64_t {
    const boost::json::value* value = event.if_contains(key);
    return value && value->is_int64() ? value->get_int64() : -1;
  };
  std::int64_t expected = 1;
  for (const boost::json::value& value : events) {
    if (!value.is_object()) {
      shape.problems.push_back(fmt::format("event #{} is not an object", expected));
      ++expected;
      continue;
    }
    const boost::json::object& event = value.get_object();
    std::int64_t id = integer(event, "id");
    std::int64_t previous = integer(event, "previousEventId");
    std::string type = text(event, "type");
    if (id != expected)
      shape.problems.push_back(fmt::format("event #{} ({}) has id {}", expected, type, id));
    if (previous < 0 || previous >= id)
      shape.problems.push_back(fmt::format("event {} ({}) has previousEventId {}", id, type, previous));
    if (expected == 1 && type != "ExecutionStarted")
      shape.problems.push_back(fmt::format("the first event is {}, not ExecutionStarted", type));
    expected = id + 1;

    // "TaskStateEntered" → ("TaskState", entered).
    for (std::string_view end : {"Entered", "Exited", "Aborted"}) {
      if (!type.ends_with(fmt::format("State{}", end))) continue;
      std::string kind = type.substr(0, type.size() - end.size());
      std::string name;
      if (end == "Aborted") {
        name = "?";  // AWS's *StateAborted names no state
      } else {
        const boost::json::value* details = event.if_contains(
            end == "Entered" ? "stateEnteredEventDetails" : "stateExitedEventDetails");
        if (details && details->is_object()) name = text(details->get_object(), "name");
        if (name.empty())
          shape.problems.push_back(fmt::format("event {} ({}) names no state", id, type));
      }
      std::string key = kind + " " + name;
      if (end == "Entered") {
        ++shape.in_flight[key];
        continue;
      }
      if (end == "Aborted") {
        // Closes one in-flight state of that kind.
        auto open = std::find_if(shape.in_flight.begin(), shape.in_flight.end(), [&](const auto& entry) {
          return entry.first.starts_with(kind + " ") && entry.second > 0;
        });
        if (open == shape.in_flight.end())
          shape.problems.push_back(fmt::format("event {} ({}) aborts no entered state", id, type));
        else
          --open->second;
        continue;
      }
      if (--shape.in_flight[key] < 0)
        shape.problems.push_back(fmt::format("event {} ({} {}) exits a state not entered", id, type, name));
    }
  }
  std::erase_if(shape.in_flight, [](const auto& entry) { return entry.second == 0; });
  return shape;
}

}  // namespace flowstate::test
