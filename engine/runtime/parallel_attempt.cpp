#include "engine/runtime/state_attempt.hpp"

#include <utility>

#include <boost/json/array.hpp>

#include "engine/runtime/branch.hpp"
#include "engine/runtime/fan_out.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

asio::awaitable<Attempt> attempt_parallel(ExecutionRun& run, BranchProgress& progress,
                                          const CompiledState& state,
                                          const states::ParallelState& parallel,
                                          const json::value& input,
                                          const std::optional<json::value>& context,
                                          std::int64_t entered, std::int64_t previous,
                                          const Checkpoint* resume) {
  Lookups lookups = lookups_for(progress, context);
  auto effective = effective_input(state.fields, input, lookups);
  if (!effective) co_return Attempt::fail(located(state, entered, effective.error()), previous);
  std::size_t count = parallel.branches.size();
  std::optional<ChildrenResume> resumed;
  if (resume) resumed.emplace(*resume, count);
  std::int64_t started = start_children(
      run, progress, resume ? 0 : run.record("ParallelStateStarted", previous), resume);
  std::vector<BranchOutcome> outcomes(count);
  std::vector<std::optional<json::value>> finished =
      resumed ? std::move(resumed->finished) : std::vector<std::optional<json::value>>(count);
  progress.finished = &finished;
  const json::value& branch_input = *effective;
  FanOutResult fan = co_await fan_out(count, 0, [&](std::size_t i) -> asio::awaitable<bool> {
    if (finished[i]) co_return true;
    const Checkpoint* child = resumed ? resumed->running[i] : nullptr;
    BranchProgress branch(*parallel.branches[i], &progress, i);
    outcomes[i] = co_await run_branch(run, branch, branch_input, started, child);
    if (outcomes[i].kind != BranchOutcome::Kind::succeeded) co_return false;
    run.child_finished(branch, outcomes[i].output);
    finished[i] = std::move(outcomes[i].output);
    co_return true;
  });
  if (fan.kind == FanOutResult::Kind::aborted)
    co_return Attempt{Attempt::Kind::aborted, {}, {}, run.last_event_id, {}, {}, false};
  if (fan.kind == FanOutResult::Kind::failed) {
    // AWS propagates the failed branch's own error and cause (not States.BranchFailed).
    Attempt attempt = Attempt::fail(outcomes[fan.failed_index].failure, run.last_event_id);
    attempt.state_failed_event = "ParallelStateFailed";
    attempt.from_children = true;
    co_return attempt;
  }
  json::array results;
  results.reserve(count);
  for (auto& output : finished) results.push_back(std::move(*output));
  std::int64_t succeeded = run.record("ParallelStateSucceeded", run.last_event_id);
  co_return finish_attempt(state, entered, input, json::value(std::move(results)), lookups, succeeded);
}

}  // namespace flowstate::runtime
