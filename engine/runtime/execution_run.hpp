// ExecutionRun: the mutable state of one running execution that its branches share — event
// ids, the clock, task resources, randomness and the execution's identity for the context
// object. Single-threaded (one io_context), so it needs no locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include <boost/json/value.hpp>

#include "engine/definition/plan.hpp"
#include "engine/runtime/execution.hpp"

namespace flowstate::runtime {

struct ExecutionRun {
  const definition::Plan& plan;
  ExecutionOptions& options;
  boost::json::value input;  ///< the execution input ($$.Execution.Input)
  std::string execution_arn;
  std::string state_machine_arn;
  std::string role_arn;
  std::chrono::system_clock::time_point start;
  std::string start_time;  ///< ISO 8601, as the context object shows it
  std::mt19937_64 rng;
  std::int64_t last_event_id = 0;

  /// Records an event and returns its id. `details` is only built when a sink is attached.
  template <typename MakeDetails>
  std::int64_t record(std::string_view type, std::int64_t previous_id, MakeDetails&& make_details) {
    ++last_event_id;
    if (options.events) {
      HistoryEvent event;
      event.id = last_event_id;
      event.previous_id = previous_id;
      event.timestamp = options.clock->now();
      event.type = std::string(type);
      event.details = make_details();
      options.events->record(std::move(event));
    }
    return last_event_id;
  }

  std::int64_t record(std::string_view type, std::int64_t previous_id) {
    return record(type, previous_id, [] { return boost::json::object(); });
  }
};

}  // namespace flowstate::runtime
