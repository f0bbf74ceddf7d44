// The eight ASL state types, with the names they carry in a definition's "Type" field.
#pragma once

#include <optional>
#include <string_view>

namespace flowstate::asl {

enum class StateType { pass, task, choice, wait, succeed, fail, parallel, map };

constexpr std::string_view to_string(StateType type) {
  switch (type) {
    case StateType::pass: return "Pass";
    case StateType::task: return "Task";
    case StateType::choice: return "Choice";
    case StateType::wait: return "Wait";
    case StateType::succeed: return "Succeed";
    case StateType::fail: return "Fail";
    case StateType::parallel: return "Parallel";
    case StateType::map: return "Map";
  }
  return "?";
}

constexpr std::optional<StateType> parse_state_type(std::string_view name) {
  for (auto type : {StateType::pass, StateType::task, StateType::choice, StateType::wait,
                    StateType::succeed, StateType::fail, StateType::parallel, StateType::map}) {
    if (to_string(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace flowstate::asl
