// One attempt of a Task, Parallel or Map state (what its Retry repeats): the state's output,
// or why it failed; with the pieces of a state visit that the attempts and the transition share.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/execution_run.hpp"
#include "engine/runtime/io_pipeline.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

/// One attempt of a Task, Parallel or Map: its state output, or why it failed.
struct Attempt {
  enum class Kind { succeeded, failed, aborted } kind = Kind::succeeded;
  boost::json::value output;
  asl::Failure failure;
  std::int64_t last_event_id = 0;
  /// Parallel and Map: "ParallelStateFailed" / "MapStateFailed", recorded only once no
  /// retrier takes the failure (AWS records none between attempts [conformance:
  /// base_scenarios.map_state_retry, base_scenarios.parallel_state_retry]).
  std::string_view state_failed_event = {};
  std::optional<boost::json::object> assigned;  ///< succeeded: what the state's Assign set
  /// Failed because an iteration or branch failed (its own events tell where), not here.
  bool from_children = false;

  static Attempt fail(asl::Failure failure, std::int64_t last) {
    return Attempt{Kind::failed, {}, std::move(failure), last, {}, {}, false};
  }
  static Attempt succeed(boost::json::value output, std::int64_t last,
                         std::optional<boost::json::object> assigned) {
    return Attempt{Kind::succeeded, std::move(output), {}, last, {}, std::move(assigned), false};
  }
};

/// The end of an attempt whose work succeeded with `result` (its *Succeeded event is
/// `succeeded`): the state's Assign, reading the result, then its output.
Attempt finish_attempt(const definition::CompiledState& state, std::int64_t entered,
                       const boost::json::value& input, boost::json::value result,
                       const Lookups& lookups, std::int64_t succeeded);

/// A catcher took `failure` (the state's last attempt's, after `last`): its Assign, reading the
/// error output, and the state's output — the error output placed into `input` by its
/// ResultPath, or its JSONata Output. The Assign sets the variables of the branch the state is
/// in (for a Parallel or Map, the enclosing scope). `input` is the state's input, which
/// progress.input points to ($states.input); a JSONPath ResultPath takes it over.
Attempt catch_failure(const ExecutionRun& run, const BranchProgress& progress,
                      const definition::CompiledState& state, const states::Catcher& catcher,
                      const asl::Failure& failure, boost::json::value& input,
                      std::chrono::system_clock::time_point entered_time, std::int64_t retry_count,
                      std::int64_t entered, std::int64_t last);

/// AWS prefixes every error the interpreter itself raises (a path that matches nothing, a bad
/// Wait value, ...) with the state and the id of its *StateEntered event [conformance:
/// base_scenarios.invalid_jsonpath~*].
asl::Failure located(const definition::CompiledState& state, std::int64_t entered_id,
                     asl::Failure failure);

/// States.DataLimitExceeded for a result over AWS's payload limit. `subject`: the state's
/// name, or for a Task what AWS names there: the Lambda function's ARN or the integrated
/// service ("lambda" for lambda:invoke).
asl::Failure data_limit_exceeded(std::string_view subject);
bool too_large(const boost::json::value& value);

/// An event's `name` (when not empty) and `key` with the payload as JSON text.
boost::json::object payload_details(std::string_view name, std::string_view key,
                                    const boost::json::value& payload);
/// An event's `error` and `cause`.
boost::json::object failure_details(const asl::Failure& failure);

/// The context object ("$$") of this visit, when the state reads it.
std::optional<boost::json::value> context_for(const ExecutionRun& run,
                                              const definition::CompiledState& state,
                                              std::chrono::system_clock::time_point entered,
                                              std::optional<std::int64_t> retry_count);

/// What the state's paths read besides their input: "$$" and the branch's variables.
Lookups lookups_for(const BranchProgress& progress, const std::optional<boost::json::value>& context);
Lookups with_result(Lookups lookups, const boost::json::value& result);

/// `resumed_wait`: the checkpoint of a callback Task that held a task token when its process
/// stopped (the attempt keeps the token, and waits again if the integration had returned),
/// or null.
boost::asio::awaitable<Attempt> attempt_task(ExecutionRun& run, BranchProgress& progress,
                                             const definition::CompiledState& state,
                                             const states::TaskState& task,
                                             const boost::json::value& input,
                                             const std::optional<boost::json::value>& context,
                                             std::int64_t entered, std::int64_t previous,
                                             const Checkpoint* resumed_wait);

/// `resume`: the checkpoint of a Parallel or Map attempt that was running (its started
/// children continue), or null for a new attempt.
boost::asio::awaitable<Attempt> attempt_parallel(ExecutionRun& run, BranchProgress& progress,
                                                 const definition::CompiledState& state,
                                                 const states::ParallelState& parallel,
                                                 const boost::json::value& input,
                                                 const std::optional<boost::json::value>& context,
                                                 std::int64_t entered, std::int64_t previous,
                                                 const Checkpoint* resume);
boost::asio::awaitable<Attempt> attempt_map(ExecutionRun& run, BranchProgress& progress,
                                            const definition::CompiledState& state,
                                            const states::MapState& map,
                                            const boost::json::value& input,
                                            const std::optional<boost::json::value>& context,
                                            std::chrono::system_clock::time_point entered_time,
                                            std::int64_t entered, std::int64_t previous,
                                            const Checkpoint* resume);

// What a resumed Map or Parallel attempt already has: the outputs of finished children and
// the checkpoints of running ones, by position.
struct ChildrenResume {
  std::vector<std::optional<boost::json::value>> finished;
  std::vector<const Checkpoint*> running;

  ChildrenResume(const Checkpoint& checkpoint, std::size_t count)
      : finished(count), running(count, nullptr) {
    for (const auto& [position, output] : checkpoint.finished)
      if (position < count) finished[position] = output;
    for (const Checkpoint& child : checkpoint.running)
      if (child.position < count && !finished[child.position]) running[child.position] = &child;
  }
};

/// Records the attempt's *StateStarted (or takes the resumed one) and checkpoints the branch:
/// the children of earlier attempts are gone from here on.
std::int64_t start_children(ExecutionRun& run, BranchProgress& progress, std::int64_t started,
                            const Checkpoint* resume);

}  // namespace flowstate::runtime
