// BranchProgress: where a running branch (the top level, a Parallel branch, a Map iteration)
// is, kept current by the transition code at a few pointer stores per state: the state it
// stands before or is in, that state's input, retry counters, running children and finished
// children's outputs. A durable EventSink turns it into the branch's checkpoint
// (checkpoint.hpp) whenever the branch moves.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/definition/plan.hpp"

namespace flowstate::runtime {

struct MapRunLimits;  // map_run_control.hpp
class PipelineObserver;  // io_pipeline.hpp

struct BranchProgress {
  const definition::StateMachine* machine = nullptr;
  BranchProgress* parent = nullptr;
  std::size_t position = 0;  ///< Parallel branch index or Map item index in the parent state
  std::size_t state = 0;     ///< the state this branch stands before or is in
  const boost::json::value* input = nullptr;  ///< that state's input
  /// Before the state: the event its *StateEntered will follow.
  std::int64_t previous = 0;
  /// In the state: its *StateEntered event (0 while standing before it), when it was
  /// entered and the branch's last event so far.
  std::int64_t entered = 0;
  std::chrono::system_clock::time_point entered_time;
  std::int64_t last = 0;
  const std::vector<std::int64_t>* retries = nullptr;  ///< per-retrier attempts so far
  std::int64_t retry_count = 0;                         ///< $$.State.RetryCount
  /// Map and Parallel: the *StateStarted event of the attempt whose children are running
  /// (0 before it).
  std::int64_t started = 0;
  std::vector<BranchProgress*> children;  ///< running inside that state
  /// Map and Parallel: the output of every child that finished, by position.
  const std::vector<std::optional<boost::json::value>>* finished = nullptr;
  /// A Distributed Map: how many of the `finished` children failed (their error output is
  /// kept there), tolerated so far.
  std::size_t failed_children = 0;
  /// A Distributed Map whose Map Run an UpdateMapRun changed: the limits it runs with now.
  const MapRunLimits* map_run_limits = nullptr;
  /// The workflow variables this branch's states read: the enclosing branch's as they were
  /// when its Map or Parallel state started, plus what this branch assigned. Shared until a
  /// state assigns (a new object then); null while there are none.
  std::shared_ptr<const boost::json::object> variables;
  /// A callback Task (`.waitForTaskToken`): the attempt's task token (empty otherwise), when
  /// it started (TimeoutSeconds counts from there), and whether the integration was called
  /// (TaskSubmitted): a resume then waits for the token again instead of calling it.
  std::string task_token;
  std::chrono::system_clock::time_point task_started;
  bool task_submitted = false;
  /// In a Wait state or a retry's back-off: when the sleep ends (not checkpointed: a resume
  /// computes it again); the epoch otherwise. For displays (execution_observer.hpp).
  std::chrono::system_clock::time_point sleeping_until;
  /// TestState's inspection (state_test.hpp), which the branch's paths report to; null in
  /// executions.
  PipelineObserver* observer = nullptr;

  BranchProgress() = default;
  BranchProgress(const definition::StateMachine& machine, BranchProgress* parent,
                 std::size_t position);
  BranchProgress(const BranchProgress&) = delete;
  BranchProgress& operator=(const BranchProgress&) = delete;
  /// Leaves the parent's list of running children.
  ~BranchProgress();

  /// Stands before `next` with `next_input`, linked to `previous_event`.
  void stand_before(std::size_t next, const boost::json::value& next_input,
                    std::int64_t previous_event) {
    state = next;
    input = &next_input;
    previous = previous_event;
    entered = 0;
    last = 0;
    retries = nullptr;
    retry_count = 0;
    started = 0;
    finished = nullptr;
    map_run_limits = nullptr;
    failed_children = 0;
    sleeping_until = {};
    if (!task_token.empty()) end_task_wait();
  }

  /// The callback task's attempt is over: its token is spent.
  void end_task_wait() {
    task_token.clear();
    task_submitted = false;
  }
};

/// Sets `assigned` on top of the branch's variables (an Assign's result), from its next state on.
void assign_variables(BranchProgress& branch, const boost::json::object& assigned);

/// Where a branch hangs in the tree: the positions from the top level down, as a key
/// (4 big-endian bytes per level; empty for the top level).
std::string branch_path(const BranchProgress& branch);

/// The same path for people and logs: positions joined by '.', "" for the top level.
std::string branch_label(const BranchProgress& branch);

}  // namespace flowstate::runtime
