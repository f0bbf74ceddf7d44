// The life cycle of one state visit, written once for all state types: history events, the
// input/output pipeline, the state's own work, Retry and Catch, and where to go next.
#pragma once

#include <cstddef>
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/execution_run.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

struct StepOutcome {
  enum class Kind { advance, finish, fail, aborted } kind = Kind::advance;
  std::size_t next = 0;       ///< advance: index of the next state in the block
  boost::json::value output;  ///< advance, finish
  asl::Failure failure;       ///< fail
  std::int64_t last_event_id = 0;
};

/// Pass, Choice, Succeed and Fail need no waiting: they run without suspending.
bool runs_synchronously(const definition::CompiledState& state);

/// When `failure` is a JSONata evaluation's (States.QueryEvaluationError), records the
/// EvaluationFailed event AWS writes before the state fails; returns the branch's last event.
std::int64_t record_evaluation_failure(ExecutionRun& run, const definition::CompiledState& state,
                                       const asl::Failure& failure, std::int64_t previous);

/// `progress` is the branch's: the transition keeps it pointing at the state's input, retry
/// counters and children, and at the next state and its input once the state exits.
StepOutcome run_synchronous_state(ExecutionRun& run, BranchProgress& progress,
                                  const definition::CompiledState& state,
                                  boost::json::value input, std::int64_t previous_event_id);

boost::asio::awaitable<StepOutcome> run_asynchronous_state(ExecutionRun& run,
                                                           BranchProgress& progress,
                                                           const definition::CompiledState& state,
                                                           boost::json::value input,
                                                           std::int64_t previous_event_id,
                                                           const Checkpoint* resume = nullptr);

}  // namespace flowstate::runtime
