// ExecutionRun: the mutable state of one running execution that its branches share — event
// ids, the clock, task resources, randomness and the execution's identity for the context
// object. Single-threaded (one io_context), so it needs no locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/json/value.hpp>

#include "engine/data/jitter_random.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/runtime/progress.hpp"

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
  data::JitterRandom rng;
  std::int64_t last_event_id = 0;
  std::int64_t redrive_count = 0;
  /// The first state is entered at the instant the execution starts (AWS records
  /// ExecutionStarted and the first *StateEntered with one timestamp).
  bool first_entry_pending = true;

  /// The state machine's name (ExecutionOptions::machine, else the plan's).
  std::string_view machine_name() const {
    return options.machine.empty() ? std::string_view(plan.name) : std::string_view(options.machine);
  }

  /// When the state being entered now was entered: the clock is read only when `needed`
  /// (a context object or a Wait uses it), to keep it off the hot path.
  std::chrono::system_clock::time_point entered_time(bool needed) {
    if (first_entry_pending) {
      first_entry_pending = false;
      return start;
    }
    return needed ? options.clock->now() : std::chrono::system_clock::time_point{};
  }

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

  /// `branch` moved (see EventSink): the point a durable sink checkpoints.
  void moved(const BranchProgress& branch, BranchMove move = BranchMove::advanced,
             Commit commit = Commit::grouped) {
    if (options.events) options.events->moved(branch, move, commit);
  }
  void child_finished(const BranchProgress& child, const boost::json::value& output) {
    if (options.events) options.events->child_finished(child, output);
  }
  void child_failed(const BranchProgress& child, const boost::json::value& error_output) {
    if (options.events) options.events->child_failed(child, error_output);
  }

  std::int64_t record(std::string_view type, std::int64_t previous_id) {
    return record(type, previous_id, [] { return boost::json::object(); });
  }
};

}  // namespace flowstate::runtime
