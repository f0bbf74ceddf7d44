#include "engine/runtime/execution.hpp"

#include <exception>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/execution_run.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;

std::string_view to_string(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::running: return "RUNNING";
    case ExecutionStatus::succeeded: return "SUCCEEDED";
    case ExecutionStatus::failed: return "FAILED";
    case ExecutionStatus::timed_out: return "TIMED_OUT";
    case ExecutionStatus::aborted: return "ABORTED";
  }
  return "?";
}

namespace {

asio::awaitable<void> sleep_for_real(std::chrono::seconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

// Runs `branch`, keeping what it throws in `escaped` instead of throwing.
asio::awaitable<BranchOutcome> capturing(asio::awaitable<BranchOutcome> branch,
                                         std::exception_ptr& escaped) {
  try {
    co_return co_await std::move(branch);
  } catch (...) {
    escaped = std::current_exception();
    co_return BranchOutcome{BranchOutcome::Kind::aborted, {}, {}, 0};
  }
}

json::object error_details(const asl::Failure& failure) {
  json::object details;
  if (failure.error) details["error"] = *failure.error;
  if (failure.cause) details["cause"] = *failure.cause;
  return details;
}

}  // namespace

asio::awaitable<ExecutionResult> run_execution(const definition::Plan& plan, json::value input,
                                               ExecutionOptions options) {
  std::uint64_t seed = options.seed ? options.seed : data::random_u64();
  const ExecutionResume* resume = options.resume;
  auto start = resume ? resume->start : options.clock->now();
  ExecutionRun run{
      plan,
      options,
      std::move(input),
      fmt::format("arn:aws:states:{}:{}:execution:{}:{}", options.region, options.account,
                  options.machine.empty() ? plan.name : options.machine, options.name),
      fmt::format("arn:aws:states:{}:{}:stateMachine:{}", options.region, options.account,
                  options.machine.empty() ? plan.name : options.machine),
      fmt::format("arn:aws:iam::{}:role/flowstate", options.account),
      start,
      // AWS keeps context-object times to the millisecond.
      data::format_timestamp(std::chrono::floor<std::chrono::milliseconds>(start)),
      data::JitterRandom(seed)};

  ExecutionResult result;
  result.execution_arn = run.execution_arn;
  result.state_machine_arn = run.state_machine_arn;
  result.start = start;
  BranchProgress progress(plan.machine, nullptr, 0);
  // The observer may read the tree from here until the execution ends, however it ends.
  struct Observed {
    ExecutionObserver* observer;
    ~Observed() {
      if (observer) observer->finished();
    }
  } observed{options.observer};
  if (options.observer) options.observer->started(progress);
  std::optional<Checkpoint> relinked_root;
  // AWS links the first *StateEntered to no event (previousEventId 0), not to ExecutionStarted.
  constexpr std::int64_t kFirstStatePrevious = 0;
  if (resume) {
    run.last_event_id = resume->last_event_id;
    run.redrive_count = resume->redrive_count;
    run.first_entry_pending = false;
    if (resume->redriven) {
      std::int64_t redriven = run.record("ExecutionRedriven", resume->last_event_id, [&] {
        return json::object{{"redriveCount", resume->redrive_count}};
      });
      // The top-level state entered again follows the redrive.
      if (!resume->root.in_state()) {
        relinked_root = resume->root;
        relinked_root->previous = redriven;
      }
    }
  } else {
    run.record("ExecutionStarted", 0, [&] {
      json::object details;
      details["input"] = data::serialize_json(run.input);
      details["inputDetails"] = json::object{{"truncated", false}};
      details["roleArn"] = run.role_arn;
      return details;
    });
    progress.stand_before(plan.machine.start, run.input, kFirstStatePrevious);
    run.moved(progress);
  }

  co_await asio::this_coro::throw_if_cancelled(false);
  const Checkpoint* root = relinked_root ? &*relinked_root : resume ? &resume->root : nullptr;
  BranchOutcome outcome;
  bool timed_out = false;
  try {
    if (plan.timeout_seconds) {
      // A resumed execution keeps its original deadline.
      auto left = std::chrono::seconds(*plan.timeout_seconds) -
                  std::chrono::duration_cast<std::chrono::seconds>(
                      options.clock->now() - (resume ? resume->timeout_start : start));
      if (left < std::chrono::seconds(0)) left = std::chrono::seconds(0);
      // `||` waits for a *successful* operand: an exception escaping the branch (a store
      // failure) would leave it waiting for the timer, so the branch's is caught and
      // rethrown after the race.
      std::exception_ptr escaped;
      auto raced = co_await (capturing(run_branch(run, progress, run.input, kFirstStatePrevious, root),
                                       escaped) ||
                             sleep_for_real(left));
      if (escaped) std::rethrow_exception(escaped);
      if (raced.index() == 0) outcome = std::move(std::get<0>(raced));
      else timed_out = true;
    } else {
      outcome = co_await run_branch(run, progress, run.input, kFirstStatePrevious, root);
    }
  } catch (const boost::system::system_error& error) {
    if (error.code() != asio::error::operation_aborted) throw;
    outcome.kind = BranchOutcome::Kind::aborted;
  }

  std::int64_t last = run.last_event_id;
  if (timed_out) {
    result.status = ExecutionStatus::timed_out;
    result.failure = asl::Failure(std::string(asl::error_name::kTimeout), std::nullopt);
    run.record("ExecutionTimedOut", last, [&] { return error_details(*result.failure); });
  } else {
    switch (outcome.kind) {
      case BranchOutcome::Kind::succeeded:
        if (data::serialized_size_exceeds(outcome.output, asl::kMaxPayloadBytes)) {
          result.status = ExecutionStatus::failed;
          result.failure = asl::Failure(std::string(asl::error_name::kDataLimitExceeded),
                                        "The execution output exceeds the maximum number of "
                                        "bytes service limit.");
          run.record("ExecutionFailed", last, [&] { return error_details(*result.failure); });
          break;
        }
        result.status = ExecutionStatus::succeeded;
        run.record("ExecutionSucceeded", last, [&] {
          json::object details;
          details["output"] = data::serialize_json(outcome.output);
          details["outputDetails"] = json::object{{"truncated", false}};
          return details;
        });
        result.output = std::move(outcome.output);
        break;
      case BranchOutcome::Kind::failed:
        result.status = ExecutionStatus::failed;
        result.failure = std::move(outcome.failure);
        run.record("ExecutionFailed", last, [&] { return error_details(*result.failure); });
        break;
      case BranchOutcome::Kind::aborted:
        result.status = ExecutionStatus::aborted;
        if (options.abort_reason && *options.abort_reason) result.failure = **options.abort_reason;
        run.record("ExecutionAborted", last,
                   [&] { return result.failure ? error_details(*result.failure) : json::object(); });
        break;
    }
  }
  result.stop = options.clock->now();
  result.events = run.last_event_id;
  co_return result;
}

}  // namespace flowstate::runtime
