// run_branch: runs one States block (the top level, a Parallel branch or a Map iteration)
// from its StartAt to an end, one state after another.
#pragma once

#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/execution_run.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

struct BranchOutcome {
  enum class Kind { succeeded, failed, aborted } kind = Kind::succeeded;
  boost::json::value output;  ///< succeeded
  asl::Failure failure;       ///< failed
  std::int64_t last_event_id = 0;
};

/// Runs `progress.machine` from its StartAt with `input`, or from `resume` (a checkpoint:
/// the state, its input and how far it got), to an end. The caller owns `progress` (and so
/// decides where the branch hangs in the progress tree); it is kept current while the
/// branch runs.
boost::asio::awaitable<BranchOutcome> run_branch(ExecutionRun& run, BranchProgress& progress,
                                                 boost::json::value input,
                                                 std::int64_t previous_event_id,
                                                 const Checkpoint* resume = nullptr);

}  // namespace flowstate::runtime
