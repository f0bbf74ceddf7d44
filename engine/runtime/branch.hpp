// run_branch: runs one States block (the top level, a Parallel branch or a Map iteration)
// from its StartAt to an end, one state after another.
#pragma once

#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/execution_run.hpp"

namespace flowstate::runtime {

struct BranchOutcome {
  enum class Kind { succeeded, failed, aborted } kind = Kind::succeeded;
  boost::json::value output;  ///< succeeded
  asl::Failure failure;       ///< failed
  std::int64_t last_event_id = 0;
};

boost::asio::awaitable<BranchOutcome> run_branch(ExecutionRun& run,
                                                 const definition::StateMachine& machine,
                                                 boost::json::value input,
                                                 std::int64_t previous_event_id);

}  // namespace flowstate::runtime
