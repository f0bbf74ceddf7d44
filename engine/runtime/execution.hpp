// Execution: runs a compiled Plan on one io_context, from its input to SUCCEEDED / FAILED /
// TIMED_OUT / ABORTED. It owns no storage and prints nothing: events go to an EventSink,
// waits to a Clock, Task work to the ResourceRegistry.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/execution_observer.hpp"
#include "engine/runtime/activity_queue.hpp"
#include "engine/runtime/coverage.hpp"
#include "engine/runtime/task_tokens.hpp"
#include "engine/tasks/mock_config.hpp"
#include "engine/tasks/object_store.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace flowstate::runtime {

enum class ExecutionStatus { running, succeeded, failed, timed_out, aborted };

std::string_view to_string(ExecutionStatus status);  ///< "SUCCEEDED", ...

/// Where a resumed or redriven execution continues: its checkpoints, read back from the
/// store, and what it had recorded so far.
struct ExecutionResume {
  Checkpoint root;  ///< the top-level branch, with its running children
  std::int64_t last_event_id = 0;
  std::chrono::system_clock::time_point start;  ///< the original start ($$.Execution.StartTime)
  /// TimeoutSeconds counts from here: the start, or the last redrive (AWS resets it).
  std::chrono::system_clock::time_point timeout_start;
  std::int64_t redrive_count = 0;               ///< $$.Execution.RedriveCount
  bool redriven = false;                        ///< record ExecutionRedriven first
};

struct ExecutionOptions {
  std::string name;              ///< the execution name (unique per run)
  /// The store's id of the execution, handed to task resources (nested executions link
  /// their children to it); empty without a store.
  std::string id;
  /// The state machine's name in ARNs and the context object; "" → the plan's (its file's stem).
  std::string machine;
  const ExecutionResume* resume = nullptr;  ///< continue from checkpoints instead of starting
  std::string region = "us-east-1";
  std::string account = "123456789012";
  Clock* clock = nullptr;                         ///< required
  const tasks::ResourceRegistry* resources = nullptr;  ///< required when the plan has Tasks
  /// Task states answered by mocked responses instead of their resource (--mock-config).
  tasks::TaskMocks* mocks = nullptr;
  EventSink* events = nullptr;                    ///< optional
  /// Follows the execution for a display (execution_observer.hpp); null: nobody does.
  ExecutionObserver* observer = nullptr;
  /// Where callback Tasks wait for SendTask* answers; null: a callback Task that is not
  /// mocked fails (States.Runtime), as nothing could answer it.
  TaskTokens* tokens = nullptr;
  /// Where activity Tasks wait for a worker (the server's GetActivityTask); null: an activity
  /// Task that is not mocked fails (States.Runtime), as no worker could take it.
  ActivityQueue* activities = nullptr;
  /// Where running Map Runs take UpdateMapRun's changes; null: nothing can update them.
  MapRunControls* map_runs = nullptr;
  std::uint64_t seed = 0;  ///< jitter and other randomness; 0 = random (data::random_u64)
  /// TaskRequest::working_directory of every Task; empty: this process's.
  std::string working_directory;
  /// Receives each line a task writes to its log, with the state's name.
  std::function<void(std::string_view state, std::string_view line)> on_task_log;
  /// Receives each line a task of a Distributed Map's child writes, with the child's state
  /// machine (MACHINE/LABEL, as its ARNs name it); unset: those lines go to on_task_log.
  std::function<void(std::string_view machine, std::string_view state, std::string_view line)>
      on_child_task_log;
  /// The error and cause an abort records (StopExecution's), read when the execution ends
  /// ABORTED; null or empty: none.
  const std::optional<asl::Failure>* abort_reason = nullptr;
  /// Counts the states, Choice rules, Catchers and Retriers reached (`flowstate test
  /// --coverage`); null: nothing counts.
  CoverageRecorder* coverage = nullptr;
  /// Where S3 buckets live (--s3-root, --s3-endpoint): what ItemReader reads and ResultWriter
  /// writes; null: a Distributed Map that reads or writes S3 fails (States.ItemReaderFailed,
  /// States.ResultWriterFailed) naming the options.
  tasks::ObjectStore* objects = nullptr;
};

struct ExecutionResult {
  ExecutionStatus status = ExecutionStatus::running;
  std::optional<boost::json::value> output;  ///< SUCCEEDED only
  std::optional<asl::Failure> failure;       ///< FAILED (and TIMED_OUT internally)
  std::string execution_arn;
  std::string state_machine_arn;
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point stop;
  std::int64_t events = 0;  ///< history events recorded (ids 1..events)
};

/// Runs `plan` to completion on the caller's executor. Cancelling the awaiting coroutine
/// (Ctrl-C, `flowstate stop`) stops every branch and ends the execution ABORTED.
boost::asio::awaitable<ExecutionResult> run_execution(const definition::Plan& plan,
                                                      boost::json::value input,
                                                      ExecutionOptions options);

}  // namespace flowstate::runtime
