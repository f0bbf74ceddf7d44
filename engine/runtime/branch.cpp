#include "engine/runtime/branch.hpp"

#include <utility>

#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include "engine/runtime/transition.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;

namespace {

// A finished branch points at nothing that outlives it.
struct ProgressReset {
  BranchProgress& progress;
  ~ProgressReset() {
    progress.input = nullptr;
    progress.retries = nullptr;
    progress.finished = nullptr;
  }
};

}  // namespace

asio::awaitable<BranchOutcome> run_branch(ExecutionRun& run, BranchProgress& progress,
                                          boost::json::value input, std::int64_t previous_event_id,
                                          const Checkpoint* resume) {
  const definition::StateMachine& machine = *progress.machine;
  ProgressReset reset{progress};
  std::size_t index = machine.start;
  std::int64_t last_event = previous_event_id;
  if (resume) {
    index = resume->state;
    input = resume->input;
    if (resume->variables) progress.variables = resume->variables;
    last_event = resume->in_state() ? resume->last : resume->previous;
    // Only states that suspend are checkpointed inside; the others are run again whole.
    if (!resume->in_state() || runs_synchronously(machine.states[index])) resume = nullptr;
  }
  while (true) {
    asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none)
      co_return BranchOutcome{BranchOutcome::Kind::aborted, {}, {}, last_event};

    const definition::CompiledState& state = machine.states[index];
    progress.state = index;
    StepOutcome step;
    if (runs_synchronously(state)) {
      step = run_synchronous_state(run, progress, state, std::move(input), last_event);
      if (step.kind == StepOutcome::Kind::fail)
        step.last_event_id = record_evaluation_failure(run, state, step.failure, step.last_event_id);
    } else {
      try {
        step = co_await run_asynchronous_state(run, progress, state, std::move(input), last_event,
                                               std::exchange(resume, nullptr));
      } catch (const boost::system::system_error& error) {
        if (error.code() != asio::error::operation_aborted) throw;
        step.kind = StepOutcome::Kind::aborted;
        step.last_event_id = run.last_event_id;
      }
    }
    last_event = step.last_event_id;
    switch (step.kind) {
      case StepOutcome::Kind::advance:
        index = step.next;
        input = std::move(step.output);
        continue;
      case StepOutcome::Kind::finish:
        co_return BranchOutcome{BranchOutcome::Kind::succeeded, std::move(step.output), {},
                                last_event};
      case StepOutcome::Kind::fail:
        co_return BranchOutcome{BranchOutcome::Kind::failed, {}, std::move(step.failure),
                                last_event};
      case StepOutcome::Kind::aborted:
        co_return BranchOutcome{BranchOutcome::Kind::aborted, {}, {}, last_event};
    }
  }
}

}  // namespace flowstate::runtime
