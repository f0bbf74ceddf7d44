// Map Run: how a Distributed Map runs its items. Each item is a child execution of the
// ItemProcessor (its own name, ARN, $$.Execution and event ids), and the parent's history
// holds only the Map Run's events, as on AWS: MapStateStarted, MapRunStarted{mapRunArn},
// then MapRunSucceeded, MapRunFailed{error, cause} or MapRunAborted (MapRunRedriven when a
// redrive runs it again). A failed child does not stop the others: the Map Run fails only
// when the failures exceed the tolerated threshold (States.ExceedToleratedFailureThreshold).
//
// The children run in this process as branches of the parent's progress tree, so their
// checkpoints are written in the parent's transitions and resume and redrive work as for
// inline iterations: a resume runs only the children that had not finished; a redrive runs
// the failed and aborted ones again, each from where it stopped. Their own histories (from
// ExecutionStarted to ExecutionSucceeded/Failed/Aborted, ExecutionRedriven when redriven)
// go to the EventSink beside the parent's (EventSink::child_record), in the same batches.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/execution_run.hpp"
#include "engine/runtime/io_pipeline.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

struct MapRunOutcome {
  enum class Kind { succeeded, failed, aborted } kind = Kind::succeeded;
  /// succeeded: one entry per item, in item order: the child's output, or the error output
  /// ({"Error", "Cause"}) of a child whose failure was tolerated.
  boost::json::array results;
  asl::Failure failure;  ///< failed
  /// failed: the Map Run started and failed (MapRunFailed is recorded; the state records
  /// MapStateFailed), or false: a field of the state was unusable before the run started
  /// (States.Runtime, which the caller words as raised at the state's entry).
  bool map_run_failed = false;
  std::int64_t last_event_id = 0;
};

/// Runs `items` as one Map Run of `state`, at most `max_concurrency` children at a time (0:
/// AWS's ceiling). `scope` is the Map's effective input with the context object; `resume`
/// the state's checkpoint when it resumes with its Map Run started.
boost::asio::awaitable<MapRunOutcome> run_map_run(ExecutionRun& run, BranchProgress& progress,
                                                  const definition::CompiledState& state,
                                                  const data::PathScope& scope,
                                                  const Lookups& lookups,
                                                  const boost::json::array& items,
                                                  std::int64_t max_concurrency,
                                                  std::chrono::system_clock::time_point entered_time,
                                                  std::int64_t previous, const Checkpoint* resume);

}  // namespace flowstate::runtime
