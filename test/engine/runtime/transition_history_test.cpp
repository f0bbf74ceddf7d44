// The history events of the state life cycle (transition.cpp), event by event, as AWS
// recorded them for the conformance cases cited beside each test (../shared/conformance,
// checked in bulk by tools/conformance/history_fidelity.py).
#include "engine/runtime/transition.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;
using Types = std::vector<std::string>;

// [conformance: core/base_scenarios.map_state_retry] AWS records MapStateFailed once, when
// no retrier takes the failure; a retried attempt goes from MapIterationFailed straight to
// the next MapStateStarted.
TEST_CASE("Map: a retried failure records MapStateFailed only after the last attempt",
          "[runtime][history][retry]") {
  auto run = run_machine(R"(
StartAt: MapState
States:
  MapState:
    Type: Map
    ItemsPath: $.arr
    MaxConcurrency: 1
    ItemProcessor:
      StartAt: HandleItemFail
      States:
        HandleItemFail: {Type: Fail, Error: HandleItemFailError, Cause: HandleItemFailCause}
    Retry: [{ErrorEquals: [HandleItemFailError], MaxAttempts: 2}]
    End: true
)",
                         R"({"arr": [1]})");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "HandleItemFailError");
  CHECK(run.event_types() ==
        Types{"ExecutionStarted", "MapStateEntered",
              "MapStateStarted", "MapIterationStarted", "FailStateEntered", "MapIterationFailed",
              "MapStateStarted", "MapIterationStarted", "FailStateEntered", "MapIterationFailed",
              "MapStateStarted", "MapIterationStarted", "FailStateEntered", "MapIterationFailed",
              "MapStateFailed", "ExecutionFailed"});
}

// [conformance: core/base_scenarios.parallel_state_retry] The same for Parallel:
// ParallelStateFailed only once the failure is final.
TEST_CASE("Parallel: a retried failure records ParallelStateFailed only after the last attempt",
          "[runtime][history][retry]") {
  auto run = run_machine(R"(
StartAt: ParallelState
States:
  ParallelState:
    Type: Parallel
    Branches:
      - StartAt: Branch1
        States:
          Branch1: {Type: Fail, Error: FailureType, Cause: Cause description}
    Retry: [{ErrorEquals: [FailureType], MaxAttempts: 2}]
    End: true
)");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.event_types() ==
        Types{"ExecutionStarted", "ParallelStateEntered",
              "ParallelStateStarted", "FailStateEntered",
              "ParallelStateStarted", "FailStateEntered",
              "ParallelStateStarted", "FailStateEntered",
              "ParallelStateFailed", "ExecutionFailed"});
}

// [conformance: core/base_scenarios.map_state_catch, core/base_scenarios.parallel_state_catch]
// A caught failure still records the state's Failed event, then its Exited event.
TEST_CASE("Map and Parallel: a caught failure records the Failed event, then the Exited event",
          "[runtime][history][catch]") {
  auto run = run_machine(R"(
StartAt: MapState
States:
  MapState:
    Type: Map
    ItemProcessor:
      StartAt: HandleItemFail
      States:
        HandleItemFail: {Type: Fail, Error: E}
    Retry: [{ErrorEquals: [Other], MaxAttempts: 2}]
    Catch: [{ErrorEquals: [States.ALL], Next: ParallelState}]
    Next: ParallelState
  ParallelState:
    Type: Parallel
    Branches:
      - StartAt: Branch1
        States:
          Branch1: {Type: Fail, Error: E}
    Catch: [{ErrorEquals: [States.ALL], Next: FinalCaught}]
    End: true
  FinalCaught: {Type: Pass, End: true}
)",
                         "[1]");
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.event_types() ==
        Types{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted",
              "FailStateEntered", "MapIterationFailed", "MapStateFailed", "MapStateExited",
              "ParallelStateEntered", "ParallelStateStarted", "FailStateEntered",
              "ParallelStateFailed", "ParallelStateExited", "PassStateEntered",
              "PassStateExited", "ExecutionSucceeded"});
}

// [conformance: lambda/error_output.parallel_catch_error~PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY]
// A Task whose failure ends a Parallel branch: AWS records TaskStateAborted after its
// TaskFailed, in every attempt of the Parallel; ParallelStateFailed only once no retrier
// takes the failure, then the Catcher's ParallelStateExited.
TEST_CASE("Parallel: a Task whose failure ends its branch is recorded as aborted after its failure",
          "[runtime][history][parallel]") {
  auto run = run_machine(R"(
StartAt: ParallelState
States:
  ParallelState:
    Type: Parallel
    Branches:
      - StartAt: Failing
        States:
          Failing:
            Type: Task
            Resource: arn:flowstate:::command
            Parameters: {Shell: true, Command: "echo '{\"Error\":\"Exception\"}'; exit 1"}
            End: true
    Retry: [{ErrorEquals: [Exception], MaxAttempts: 1}]
    Catch: [{ErrorEquals: [States.ALL], Next: Fallback}]
    Next: Fallback
  Fallback: {Type: Pass, End: true}
)");
  CHECK(run.status() == ExecutionStatus::succeeded);
  Types attempt{"ParallelStateStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                "TaskFailed", "TaskStateAborted"};
  Types expected{"ExecutionStarted", "ParallelStateEntered"};
  expected.insert(expected.end(), attempt.begin(), attempt.end());
  expected.insert(expected.end(), attempt.begin(), attempt.end());
  expected.insert(expected.end(), {"ParallelStateFailed", "ParallelStateExited", "PassStateEntered",
                                   "PassStateExited", "ExecutionSucceeded"});
  CHECK(run.event_types() == expected);
}

// A Map iteration's failing Task is left as its failure: no recording shows AWS aborting it.
TEST_CASE("Map: a Task whose failure ends its iteration is not recorded as aborted",
          "[runtime][history][map]") {
  auto run = run_machine(R"(
StartAt: MapState
States:
  MapState:
    Type: Map
    ItemProcessor:
      StartAt: Failing
      States:
        Failing:
          Type: Task
          Resource: arn:flowstate:::command
          Parameters: {Shell: true, Command: "echo '{\"Error\":\"Exception\"}'; exit 1"}
          End: true
    End: true
)",
                         "[1]");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.event_types() ==
        Types{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted",
              "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
              "MapIterationFailed", "MapStateFailed", "ExecutionFailed"});
}

}  // namespace
}  // namespace flowstate::runtime
