// EventSink: where an execution's history and checkpoints go (the store; an in-memory list
// in tests). Events arrive one at a time; whenever a branch moves, the sink is told with the
// branch's new checkpoint (checkpoint.hpp), so a durable sink writes whole transitions —
// events and checkpoints together — in atomic batches. A move says whether something
// outside the execution is about to see it (a task starting, time passing in a Wait or a
// retry back-off): then everything recorded so far must be durable before the runtime goes
// on. Moves between pure states may be grouped: a crash loses at most work that a resume
// repeats identically.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/runtime/history.hpp"
#include "engine/runtime/map_run_control.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

/// What a move did besides advancing the branch.
enum class BranchMove {
  advanced,          ///< entered or left a state, or counted a retry
  children_started,  ///< a Map/Parallel attempt starts: children of earlier attempts are gone
  children_done,     ///< left a Map/Parallel state: its children and their outputs are gone
};

/// Whether a move must be durable before the runtime goes on.
enum class Commit {
  grouped,  ///< pure states follow: may wait for a later move
  now,      ///< a task is about to start, or time is about to pass
};

enum class ExecutionStatus;  // execution.hpp

/// A child execution that runs inside this one, in its progress tree (a Distributed Map's
/// child, map_run.hpp): its identity, as a durable sink records it beside this execution.
struct ChildExecution {
  std::string name;           ///< the execution name (a UUID)
  std::string state_machine;  ///< "MACHINE/LABEL"
  std::string map_run_arn;
  const boost::json::value* input = nullptr;
  std::chrono::system_clock::time_point start;
  /// Continues a child recorded before (a resume, or a redrive when `redriven`).
  bool resumed = false;
  bool redriven = false;
  /// Starts a child that a crash may have left partly recorded (its Map Run resumed): what
  /// it recorded goes, as nothing of it ran durably.
  bool restarted = false;
};

/// A Distributed Map's Map Run as a durable sink keeps it for DescribeMapRun and ListMapRuns
/// (map_run.hpp): reported when it starts, is redriven, is updated and ends.
struct MapRunReport {
  std::string map_run_arn;
  std::string execution_arn;      ///< the execution whose Map state started it
  std::string state_machine_arn;  ///< its child executions' ("…:stateMachine:MACHINE/LABEL")
  std::size_t items = 0;
  MapRunLimits limits;
  ExecutionStatus status{};  ///< RUNNING, SUCCEEDED, FAILED or ABORTED
  std::int64_t redrive_count = 0;
  std::chrono::system_clock::time_point time;  ///< when this report's change happened
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void record(HistoryEvent event) = 0;
  /// `branch` moved; it is valid for the duration of the call.
  virtual void moved(const BranchProgress& branch, BranchMove move, Commit commit) {
    (void)branch;
    (void)move;
    (void)commit;
  }
  /// A child branch (a Map iteration, a Parallel branch) finished with `output`: its
  /// checkpoint is gone and its output is kept under its parent.
  virtual void child_finished(const BranchProgress& child, const boost::json::value& output) {
    (void)child;
    (void)output;
  }
  /// A child branch failed and its parent goes on without it (a Distributed Map's tolerated
  /// failure): `error_output` is kept where a finished child's output goes, and the child's
  /// checkpoint stays, so a redrive can run it again from where it failed. A resume tells
  /// them apart: a finished child whose checkpoint is gone succeeded.
  virtual void child_failed(const BranchProgress& child, const boost::json::value& error_output) {
    (void)child;
    (void)error_output;
  }

  /// A child execution starts or continues; returns the id of the last event it recorded
  /// before (0 when it is new). Its history goes to child_record and its end to
  /// child_ended, in the same transitions as this execution's events and checkpoints.
  virtual std::int64_t child_started(const ChildExecution& child) {
    (void)child;
    return 0;
  }
  virtual void child_record(const ChildExecution& child, HistoryEvent event) {
    (void)child;
    (void)event;
  }
  /// `result`: the output when SUCCEEDED, the {"Error", "Cause"} error output when FAILED.
  virtual void child_ended(const ChildExecution& child, ExecutionStatus status,
                           const boost::json::value& result) {
    (void)child;
    (void)status;
    (void)result;
  }
  /// A Map Run started, was redriven, was updated or ended; kept in the same transitions as
  /// this execution's events.
  virtual void map_run_changed(const MapRunReport& report) { (void)report; }
};

/// Keeps every event in memory, in order.
class MemoryEventSink final : public EventSink {
 public:
  void record(HistoryEvent event) override { events_.push_back(std::move(event)); }
  const std::vector<HistoryEvent>& events() const { return events_; }

 private:
  std::vector<HistoryEvent> events_;
};

}  // namespace flowstate::runtime
