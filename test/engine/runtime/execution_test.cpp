// Tests of an execution as a whole: the context object, the machine's TimeoutSeconds,
// stopping (cancellation), and the history AWS records for a plain run.
#include "engine/runtime/execution.hpp"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/process_exists.hpp"
#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;
using test::with_task_double;
using Types = std::vector<std::string>;

using test::process_exists;

/// The pid task_double reported with its "pid" command, from the run's task logs.
pid_t logged_pid(const test::MachineRun& run) {
  for (const auto& line : run.logs) {
    auto at = line.find("] pid ");
    if (at != std::string::npos) return std::stoi(line.substr(at + 6));
  }
  FAIL("no task logged its pid");
  return 0;
}

TEST_CASE("Execution: the context object describes the execution, machine and state visit",
          "[runtime][context_object]") {
  auto run = run_machine(R"(
StartAt: P
States:
  P: {Type: Pass, Parameters: {ctx.$: $$}, Next: Retryable}
  Retryable:
    Type: Parallel
    Branches: [{StartAt: B, States: {B: {Type: Pass, End: true}}}]
    Parameters: {state.$: $$.State}
    ResultPath: $.parallel
    End: true
)",
                         R"({"in":[1]})", test::with_name("exec-1"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() ==
        R"({"ctx":{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:machine:)"
        R"(exec-1","Input":{"in":[1]},"StartTime":"2024-01-02T03:04:05.678Z","Name":"exec-1",)"
        R"("RoleArn":"arn:aws:iam::123456789012:role/flowstate","RedriveCount":0},)"
        R"("StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:machine",)"
        R"("Name":"machine"},"State":{"Name":"P","EnteredTime":"2024-01-02T03:04:05.678Z"}},)"
        R"("parallel":[{"state":{"Name":"Retryable","EnteredTime":"2024-01-02T03:04:05.678Z",)"
        R"("RetryCount":0}}]})");
  CHECK(run.result.execution_arn ==
        "arn:aws:states:us-east-1:123456789012:execution:machine:exec-1");
  CHECK(run.result.state_machine_arn == "arn:aws:states:us-east-1:123456789012:stateMachine:machine");
}

TEST_CASE("Execution: a Pass machine records AWS's four events with their links and details",
          "[runtime][history]") {
  auto run = run_machine("StartAt: P\nStates:\n  P: {Type: Pass, Result: 1, End: true}\n",
                         R"({"a":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.event_chain() == Types{"ExecutionStarted(1,0)", "PassStateEntered(2,0)",
                                   "PassStateExited(3,2)", "ExecutionSucceeded(4,3)"});
  CHECK(run.result.events == 4);
  CHECK(data::serialize_json(run.events[0].details) ==
        R"({"input":"{\"a\":1}","inputDetails":{"truncated":false},)"
        R"("roleArn":"arn:aws:iam::123456789012:role/flowstate"})");
  CHECK(data::serialize_json(run.events[1].details) ==
        R"({"name":"P","input":"{\"a\":1}","inputDetails":{"truncated":false}})");
  CHECK(data::serialize_json(run.events[2].details) ==
        R"({"name":"P","output":"1","outputDetails":{"truncated":false}})");
  CHECK(data::serialize_json(run.events[3].details) ==
        R"({"output":"1","outputDetails":{"truncated":false}})");
}

TEST_CASE("Execution: TimeoutSeconds ends the execution TIMED_OUT and stops its task",
          "[runtime][execution]") {
  auto started = std::chrono::steady_clock::now();
  auto run = run_machine(with_task_double(R"(
TimeoutSeconds: 1
StartAt: T
States:
  T:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", pid, sleep, "30000"]}
    End: true
)"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(run.status() == ExecutionStatus::timed_out);
  CHECK(run.error() == "States.Timeout");
  CHECK_FALSE(process_exists(logged_pid(run)));
  CHECK(run.event_types() == Types{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                   "TaskStarted", "TaskStateAborted", "ExecutionTimedOut"});
}

TEST_CASE("Execution: stopping it mid-task ends it ABORTED with nothing left running",
          "[runtime][execution]") {
  auto run = run_machine(with_task_double(R"(
StartAt: T
States:
  T:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", pid, sleep, "30000"]}
    Retry: [{ErrorEquals: [States.ALL]}]
    Catch: [{ErrorEquals: [States.ALL], Next: Never}]
    End: true
  Never: {Type: Succeed}
)"),
                         "{}", test::stopping_on_log("pid"));
  CHECK(run.status() == ExecutionStatus::aborted);
  CHECK_FALSE(run.result.failure.has_value());
  CHECK_FALSE(process_exists(logged_pid(run)));
  CHECK(run.sleeps.empty());
  CHECK(run.event_types() == Types{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                   "TaskStarted", "TaskStateAborted", "ExecutionAborted"});
}

TEST_CASE("Execution: an output over 256 KiB fails it with DataLimitExceeded",
          "[runtime][execution]") {
  auto run = run_machine(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    Branches:
      - {StartAt: A, States: {A: {Type: Pass, End: true}}}
      - {StartAt: B, States: {B: {Type: Pass, End: true}}}
    End: true
)",
                         "{\"s\":\"" + std::string(140000, 'x') + "\"}");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.DataLimitExceeded");
}

}  // namespace
}  // namespace flowstate::runtime
