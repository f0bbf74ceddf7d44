// Checkpoint: one branch's resume point as a durable sink stores it and as resume and
// redrive read it back. The JSON written (store format 1):
//   before a state: {"state": NAME, "input": V, "previous": EVENT}
//   in a state:     {"state": NAME, "input": V, "entered": EVENT, "enteredTime": MS,
//                    "last": EVENT, "retries": [N...], "retryCount": N, "started": EVENT}
//   in a callback Task also: "taskToken": TOKEN, "taskStartedTime": MS, "taskSubmitted": true
//   in a Distributed Map whose Map Run an UpdateMapRun changed also: "mapRunLimits":
//     {"maxConcurrency": N, "toleratedFailureCount": N, "toleratedFailurePercentage": X}
//     (the thresholds only when set)
// ("retries", "retryCount", "started", "taskSubmitted" only when non-empty / non-zero), both with
// "variables": {NAME: V...} when the branch sees workflow variables. A branch's
// children (Map iterations, Parallel branches) have checkpoints of their own; the outputs
// of finished children are kept beside them, so resuming reads O(active states).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/definition/plan.hpp"
#include "engine/runtime/map_run_control.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

struct Checkpoint {
  std::size_t position = 0;  ///< in the parent state (children only)
  std::size_t state = 0;
  boost::json::value input;
  std::int64_t previous = 0;  ///< before the state
  std::int64_t entered = 0;   ///< in the state; 0 = standing before it
  std::chrono::system_clock::time_point entered_time;
  std::int64_t last = 0;
  std::vector<std::int64_t> retries;
  std::int64_t retry_count = 0;
  std::int64_t started = 0;  ///< Map/Parallel: the running attempt's *StateStarted
  std::shared_ptr<const boost::json::object> variables;  ///< null: none
  std::string task_token;  ///< a callback Task waiting for it (progress.hpp)
  std::chrono::system_clock::time_point task_started;
  bool task_submitted = false;
  std::optional<MapRunLimits> map_run_limits;  ///< set by an UpdateMapRun
  std::vector<std::pair<std::size_t, boost::json::value>> finished;  ///< by position
  std::vector<Checkpoint> running;                                   ///< by position
  /// Not stored: a redrive runs this child (a failed or aborted iteration/branch) again,
  /// so it starts again in the history (MapIterationStarted).
  bool restarted = false;

  bool in_state() const { return entered != 0; }
};

boost::json::object checkpoint_json(const BranchProgress& branch);
/// The same checkpoint appended to `out` as compact JSON (serialize_json of checkpoint_json,
/// byte for byte), without building the object or copying the input: what a durable sink
/// writes at every transition.
void append_checkpoint_json(std::string& out, const BranchProgress& branch);

/// One branch's checkpoint (its children are added by the caller), with the state name
/// resolved in `machine`; the error names what does not fit (a definition changed since).
boost::system::result<Checkpoint, std::string> read_checkpoint(
    const definition::StateMachine& machine, const boost::json::value& json);

/// The machine a child at `position` of `state` runs (a Map's ItemProcessor, a Parallel
/// branch), or nullptr when the state has no such child.
const definition::StateMachine* child_machine(const definition::CompiledState& state,
                                              std::size_t position);

}  // namespace flowstate::runtime
