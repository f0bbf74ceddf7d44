// End-to-end tests of `--lambda-endpoint URL` (and FLOWSTATE_LAMBDA_ENDPOINT): the flowstate
// binary invokes Lambda functions on a real HTTP server on 127.0.0.1
// (test/harness/lambda_emulator.hpp); the execution records the endpoint, so resume and
// redrive use it again, a redrive may name another, and nested executions inherit it.
#include <stdlib.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/run_result_json.hpp"
#include "test/harness/lambda_emulator.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::FlowstateProcess;
using test::LambdaEmulator;
using test::run_flowstate;
using test::TempDir;

std::string machine_calling(std::string_view function) {
  return "StartAt: Call\nStates:\n  Call:\n    Type: Task\n"
         "    Resource: arn:aws:lambda:us-east-1:123456789012:function:" +
         std::string(function) + "\n    End: true\n";
}

TEST_CASE("flowstate run --lambda-endpoint: function ARNs and lambda:invoke call the endpoint",
          "[cli][lambda]") {
  LambdaEmulator emulator;
  TempDir dir;
  auto file = dir.write("invoke.yaml", R"(StartAt: Direct
States:
  Direct:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:123456789012:function:identity
    ResultPath: $.direct
    Next: Integration
  Integration:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: identity, Payload.$: $.direct}
    OutputPath: $.Payload
    End: true
)").string();
  auto run = run_flowstate({"run", file, "--input", R"({"n":1})", "-q", "--lambda-endpoint", emulator.url()});
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(test::without_execution_names(run.out)) == *data::parse_json(R"({"n":1})"));
  CHECK(emulator.requests().size() == 2);

  // The same without a store, and from the environment.
  ::setenv("FLOWSTATE_LAMBDA_ENDPOINT", emulator.url().c_str(), 1);
  auto from_environment = run_flowstate({"run", file, "--input", R"({"n":2})", "-q", "--no-store"});
  ::unsetenv("FLOWSTATE_LAMBDA_ENDPOINT");
  REQUIRE(from_environment.exit_code == 0);
  CHECK(*data::parse_json(from_environment.out) == *data::parse_json(R"({"n":2})"));
}

TEST_CASE("flowstate run --lambda-endpoint: a bad URL, and no endpoint, exit 2 before anything runs",
          "[cli][lambda]") {
  TempDir dir;
  auto file = dir.write("call.yaml", machine_calling("identity")).string();
  auto bad = run_flowstate({"run", file, "--lambda-endpoint", "http://lambda.local:3001"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "flowstate: error: --lambda-endpoint 'http://lambda.local:3001': the host "
                   "'lambda.local' must be an IP address or localhost (flowstate does not resolve "
                   "host names), e.g. http://127.0.0.1:3001\n");
  auto none = run_flowstate({"run", file});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("Lambda function ARNs and 'arn:aws:states:::lambda:invoke' with "
                      "--lambda-endpoint URL") != std::string::npos);
}

TEST_CASE("flowstate run --lambda-endpoint: an endpoint that is down fails the execution",
          "[cli][lambda]") {
  TempDir dir;
  auto file = dir.write("call.yaml", machine_calling("identity")).string();
  std::string url = LambdaEmulator::closed_url();
  auto run = run_flowstate({"run", file, "--format", "json", "--lambda-endpoint", url});
  CHECK(run.exit_code == 1);
  CHECK(*data::parse_json(test::without_execution_names(run.out)) ==
        *data::parse_json(R"({"status":"FAILED","error":"States.TaskFailed","cause":"cannot reach the Lambda endpoint )" +
                          url + R"( to invoke function 'identity': Connection refused"})"));
}

TEST_CASE("flowstate redrive: uses the recorded Lambda endpoint, or the one --lambda-endpoint names",
          "[cli][lambda]") {
  LambdaEmulator emulator;
  TempDir dir;
  auto store = (dir / "store").string();
  auto flaky = dir.write("flaky.yaml", machine_calling("raise-once")).string();
  auto failed = run_flowstate({"run", flaky, "--store", store, "--name", "flaky", "-q",
                               "--lambda-endpoint", emulator.url()});
  CHECK(failed.exit_code == 1);
  auto redriven = run_flowstate({"redrive", "flaky", "--store", store, "-q"});
  CHECK(redriven.exit_code == 0);
  CHECK(emulator.requests().size() == 2);

  // Run against an endpoint that is down, then redrive against the emulator.
  auto call = dir.write("call.yaml", machine_calling("identity")).string();
  auto down = run_flowstate({"run", call, "--store", store, "--name", "down", "-q",
                             "--lambda-endpoint", LambdaEmulator::closed_url()});
  CHECK(down.exit_code == 1);
  auto overridden = run_flowstate({"redrive", "down", "--store", store, "-q", "--lambda-endpoint",
                                   emulator.url()});
  CHECK(overridden.exit_code == 0);
  CHECK(emulator.requests().size() == 3);
}

TEST_CASE("flowstate resume: a run killed while a function ran invokes it again on the recorded "
          "endpoint",
          "[cli][lambda]") {
  LambdaEmulator emulator;
  TempDir dir;
  auto store = (dir / "store").string();
  auto file = dir.write("slow.yaml", machine_calling("slow-once")).string();
  FlowstateProcess run({"run", file, "--store", store, "--name", "killed", "--lambda-endpoint",
                        emulator.url()});
  // Wait (bounded) until the function has been invoked, then kill flowstate.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (emulator.requests().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(emulator.requests().size() == 1);
  run.signal(SIGKILL);
  CHECK(run.finish().exit_code == 128 + SIGKILL);

  auto resumed = run_flowstate({"resume", "killed", "--store", store, "-q"});
  CHECK(resumed.exit_code == 0);
  CHECK(*data::parse_json(resumed.out) == *data::parse_json("{}"));
  CHECK(emulator.requests().size() == 2);
}

TEST_CASE("flowstate run --lambda-endpoint: a nested execution invokes functions on the same endpoint",
          "[cli][lambda][nested]") {
  LambdaEmulator emulator;
  TempDir dir;
  auto parent = dir.write("parent.json", R"({"StartAt": "Child", "States": {"Child": {
      "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
      "Parameters": {"StateMachineArn": "child.yaml", "Input": {"n": 1}},
      "OutputPath": "$.Output", "End": true}}})").string();
  dir.write("child.yaml", machine_calling("identity"));
  auto run = run_flowstate({"run", parent, "--store", (dir / "store").string(), "-q",
                            "--lambda-endpoint", emulator.url()});
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(test::without_execution_names(run.out)) == *data::parse_json(R"({"n":1})"));
  CHECK(emulator.requests().size() == 1);
}

}  // namespace
}  // namespace flowstate::cli
