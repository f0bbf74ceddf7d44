// Task states served by a Lambda endpoint (--lambda-endpoint), run by the runtime against a
// real HTTP server on 127.0.0.1 (test/harness/lambda_emulator.hpp): results through the I/O
// pipeline, Catch and Retry on function errors, history events, TimeoutSeconds.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/lambda_emulator.hpp"
#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::LambdaEmulator;
using test::MachineOptions;
using test::run_machine;

/// A machine whose first state is the Task "Call" with `fields` (YAML lines, 4 spaces in).
std::string task_machine(std::string_view fields) {
  return "StartAt: Call\nStates:\n  Call:\n    Type: Task\n" + std::string(fields);
}

MachineOptions served_by(const LambdaEmulator& emulator) {
  MachineOptions options;
  options.lambda_endpoint = emulator.url();
  return options;
}

TEST_CASE("Lambda Task: a function ARN's payload is the result, with LambdaFunction events",
          "[runtime][lambda]") {
  LambdaEmulator emulator;
  auto run = run_machine(task_machine(R"(    Resource: arn:aws:lambda:us-east-1:123456789012:function:identity
    ResultPath: $.echo
    End: true
)"),
                         R"({"x": 1})", served_by(emulator));
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"x":1,"echo":{"x":1}})");
  CHECK(run.event_types() ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                 "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                                 "TaskStateExited", "ExecutionSucceeded"});
}

TEST_CASE("Lambda Task: lambda:invoke's response goes through ResultSelector, with Task events",
          "[runtime][lambda]") {
  LambdaEmulator emulator;
  auto run = run_machine(task_machine(R"(    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: identity, Payload.$: $}
    ResultSelector: {payload.$: $.Payload, status.$: $.StatusCode, version.$: $.ExecutedVersion}
    End: true
)"),
                         R"({"x": 1})", served_by(emulator));
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"payload":{"x":1},"status":200,"version":"$LATEST"})");
  const auto* scheduled = run.first_event("TaskScheduled");
  REQUIRE(scheduled);
  CHECK(scheduled->details.at("resourceType") == "lambda");
  CHECK(scheduled->details.at("resource") == "invoke");
}

TEST_CASE("Lambda Task: a function error is caught with its errorType and payload as cause",
          "[runtime][lambda]") {
  LambdaEmulator emulator;
  auto run = run_machine(task_machine(R"(    Resource: arn:aws:lambda:us-east-1:123456789012:function:raise
    Catch: [{ErrorEquals: [ValueError], ResultPath: $.error, Next: Handled}]
    End: true
  Handled:
    Type: Pass
    End: true
)"),
                         "{}", served_by(emulator));
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() ==
        R"({"error":{"Error":"ValueError","Cause":"{\"errorType\": \"ValueError\", \"errorMessage\": \"bad input\"}"}})");
  const auto* failed = run.first_event("LambdaFunctionFailed");
  REQUIRE(failed);
  CHECK(failed->details.at("error") == "ValueError");
}

TEST_CASE("Lambda Task: Retry invokes the function again after a function error",
          "[runtime][lambda]") {
  LambdaEmulator emulator;
  auto run = run_machine(task_machine(R"(    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: raise-once, Payload: {ok: true}}
    OutputPath: $.Payload
    Retry: [{ErrorEquals: [Flaky], IntervalSeconds: 2, MaxAttempts: 3}]
    End: true
)"),
                         "{}", served_by(emulator));
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"ok":true})");
  CHECK(emulator.requests().size() == 2);
  CHECK(run.sleeps == std::vector<double>{2.0});
}

TEST_CASE("Lambda Task: an unknown function and an endpoint that is down fail the execution",
          "[runtime][lambda]") {
  const std::string machine = task_machine(R"(    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: missing}
    End: true
)");
  LambdaEmulator emulator;
  auto unknown = run_machine(machine, "{}", served_by(emulator));
  CHECK(unknown.status() == ExecutionStatus::failed);
  CHECK(unknown.error() == "Lambda.ResourceNotFoundException");
  CHECK(unknown.cause() ==
        "Function not found: arn:aws:lambda:us-west-2:012345678901:function:missing (Service: "
        "AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-1; "
        "Proxy: null)");

  MachineOptions down;
  down.lambda_endpoint = LambdaEmulator::closed_url();
  auto refused = run_machine(machine, "{}", down);
  CHECK(refused.status() == ExecutionStatus::failed);
  CHECK(refused.error() == "States.TaskFailed");
  CHECK(refused.cause() == "cannot reach the Lambda endpoint " + down.lambda_endpoint +
                               " to invoke function 'missing': Connection refused");
}

TEST_CASE("Lambda Task: TimeoutSeconds fails a slow function with States.Timeout",
          "[runtime][lambda]") {
  LambdaEmulator emulator;
  auto run = run_machine(task_machine(R"(    Resource: arn:aws:lambda:us-east-1:123456789012:function:slow
    TimeoutSeconds: 1
    End: true
)"),
                         "{}", served_by(emulator));
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Timeout");
  CHECK(run.first_event("LambdaFunctionTimedOut") != nullptr);
}

}  // namespace
}  // namespace flowstate::runtime
