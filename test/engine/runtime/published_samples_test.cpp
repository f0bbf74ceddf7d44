// Definitions from published AWS samples that AWS deploys and runs, and that flowstate once
// refused at load: each loads, and runs as AWS runs it.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;

TEST_CASE("Published samples: a Fail state's own States.* error is caught and retried by name",
          "[runtime][published_samples]") {
  // A quorum pattern: a branch stops its siblings with a custom "States.QuorumMet".
  auto run = run_machine(R"(
StartAt: Vote
States:
  Vote:
    Type: Parallel
    Branches:
      - StartAt: Met
        States:
          Met: {Type: Fail, Error: States.QuorumMet, Cause: two of three}
    Retry:
      - ErrorEquals: [States.RanOutOfTime, States.TaskFailedId]
        MaxAttempts: 2
    Catch:
      - ErrorEquals: [States.QuorumMet]
        Next: Done
    End: true
  Done: {Type: Pass, End: true}
)");
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"Error":"States.QuorumMet","Cause":"two of three"})");
}

TEST_CASE("Published samples: an inline Map with a Label runs", "[runtime][published_samples]") {
  auto run = run_machine(R"(
StartAt: Each
States:
  Each:
    Type: Map
    Label: Items
    ItemProcessor:
      StartAt: Inner
      States:
        Inner: {Type: Pass, End: true}
    End: true
)",
                         "[1, 2]");
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[1,2]");
}

TEST_CASE("Published samples: MaxItems 0 in a ReaderConfig loads", "[runtime][published_samples]") {
  auto plan = test::compile_machine(R"(
StartAt: Each
States:
  Each:
    Type: Map
    ItemReader:
      Resource: arn:aws:states:::s3:getObject
      ReaderConfig: {InputType: JSON, MaxItems: 0}
      Parameters: {Bucket: b, Key: k}
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: Inner
      States:
        Inner: {Type: Pass, End: true}
    End: true
)");
  // What stops it running is the ItemReader itself, which flowstate does not read yet.
  std::vector<std::string> unsupported;
  for (const auto& feature : plan.unsupported) unsupported.push_back(fmt::format("{}", feature));
  CHECK(unsupported == std::vector<std::string>{
                           "machine.yaml:6:5: error: 'ItemReader' (reading items from S3) is not "
                           "supported yet; flowstate's Distributed Maps iterate the items of the "
                           "state input (ItemsPath)"});
}

TEST_CASE("Published samples: a path with a trailing space reads the value it names",
          "[runtime][published_samples]") {
  auto run = run_machine(R"(
StartAt: Name
States:
  Name:
    Type: Pass
    Parameters:
      name.$: "$$.Execution.Name "
      first.$: "$.items[0] "
    End: true
)",
                         R"({"items": ["a"]})", test::with_name("nightly"));
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"name":"nightly","first":"a"})");
}

TEST_CASE("Published samples: a bare word in a filter loads, and evaluating it fails with "
          "States.Runtime",
          "[runtime][published_samples]") {
  const char* const machine = R"(
StartAt: Start
States:
  Start:
    Type: Choice
    Choices:
      - {Variable: $.pick, BooleanEquals: true, Next: Pick}
    Default: Skip
  Pick:
    Type: Pass
    Parameters:
      receipt.$: $.documents[?(@.Name==Receipt)]
    End: true
  Skip: {Type: Pass, End: true}
)";
  CHECK(run_machine(machine, R"({"pick": false})").status() == ExecutionStatus::succeeded);
  auto run = run_machine(machine, R"({"pick": true, "documents": [{"Name": "Receipt"}]})");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'Pick' (entered at the event id #4). "
                       "The JSONPath '$.documents[?(@.Name==Receipt)]' specified for the field "
                       "'receipt.$' cannot be evaluated: the filter compares with 'Receipt', which is "
                       "neither a path nor a literal; quote a string: 'Receipt'");
}

}  // namespace
}  // namespace flowstate::runtime
