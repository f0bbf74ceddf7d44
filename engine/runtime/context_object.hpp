// The context object ("$$"): what a state can read about its execution, state machine, state
// visit and Map item. Built only for states whose fields read "$$".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/runtime/execution_run.hpp"

namespace flowstate::runtime {

struct StateVisit {
  std::string_view name;
  std::chrono::system_clock::time_point entered;
  /// $$.State.RetryCount: present on states that can retry (Task, Parallel, Map).
  std::optional<std::int64_t> retry_count;
};

boost::json::object make_context_object(const ExecutionRun& run, const StateVisit& visit);

/// Adds {"Map": {"Item": {"Index": i, "Value": item}}} (inside ItemSelector only).
boost::json::object with_map_item(boost::json::object context, std::size_t index,
                                  const boost::json::value& item);

}  // namespace flowstate::runtime
