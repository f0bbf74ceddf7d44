// End-to-end tests of `--mock-config FILE --test-case NAME` (AWS Step Functions Local's mock
// configuration format): mocked Task states never reach a resource, record the events their
// resource would, count invocations across retries, and a redrive can switch test case.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace json = boost::json;
using test::run_flowstate;
using test::TempDir;

// Fetch calls a Lambda function by its ARN (retrying a busy service), Report calls Lambda
// through the lambda:invoke integration.
constexpr std::string_view kPipeline = R"(StartAt: Fetch
States:
  Fetch:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:111111111111:function:fetch
    Retry: [{ErrorEquals: [Lambda.ServiceException], MaxAttempts: 2, IntervalSeconds: 1}]
    ResultPath: $.fetched
    Next: Report
  Report:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: report, Payload.$: $.fetched}
    ResultSelector: {report.$: $.Payload}
    End: true
)";

constexpr std::string_view kMocks = R"({
  "StateMachines": {"pipeline": {"TestCases": {
    "HappyPath": {"Fetch": "FetchAfterRetry", "Report": "ReportOk"},
    "BrokenFetch": {"Fetch": "FetchBroken", "Report": "ReportOk"},
    "FetchOnly": {"Fetch": "FetchAfterRetry"}}}},
  "MockedResponses": {
    "FetchAfterRetry": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
      "1": {"Return": {"rows": 3}}},
    "FetchBroken": {"0-9": {"Throw": {"Error": "Lambda.Unknown", "Cause": "the function crashed"}}},
    "ReportOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"sent": true}}}}}})";

std::vector<std::string> event_types(const std::string& history_json) {
  std::vector<std::string> types;
  json::value history = *data::parse_json(history_json);
  for (const json::value& event : history.at("events").as_array())
    types.emplace_back(event.at("type").as_string());
  return types;
}

struct MockedPipeline {
  TempDir dir;
  std::string definition = dir.write("pipeline.yaml", kPipeline).string();
  std::string mocks = dir.write("MockConfigFile.json", kMocks).string();
  std::string store = (dir / "store").string();
};

TEST_CASE("flowstate run --mock-config: mocked Lambda states return their mocked results, retry "
          "on mocked errors and record AWS's Lambda events",
          "[cli][mocks]") {
  MockedPipeline p;
  auto run = run_flowstate({"run", p.definition, "--input", R"({"day":"mon"})", "--store", p.store,
                            "--name", "happy", "--skip-waits", "-q", "--mock-config", p.mocks,
                            "--test-case", "HappyPath"});
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(run.out) == *data::parse_json(R"({"report":{"sent":true}})"));

  auto history = run_flowstate({"history", "happy", "--store", p.store, "--format", "json"});
  REQUIRE(history.exit_code == 0);
  CHECK(event_types(history.out) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                 "LambdaFunctionStarted", "LambdaFunctionFailed",
                                 "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                 "LambdaFunctionSucceeded", "TaskStateExited", "TaskStateEntered",
                                 "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                 "ExecutionSucceeded"});
  // The integration's events name its service and action, as AWS's do.
  json::value events = data::parse_json(history.out)->at("events");
  const json::object& scheduled = events.as_array()[10].at("taskScheduledEventDetails").as_object();
  CHECK(scheduled.at("resourceType") == "lambda");
  CHECK(scheduled.at("resource") == "invoke");
  CHECK(scheduled.at("parameters") == R"({"FunctionName":"report","Payload":{"rows":3}})");
  const json::object& failed = events.as_array()[4].at("lambdaFunctionFailedEventDetails").as_object();
  CHECK(failed.at("error") == "Lambda.ServiceException");
  CHECK(failed.at("cause") == "busy");
}

TEST_CASE("flowstate run --mock-config: a test case that mocks a state the definition lacks is "
          "refused before anything runs",
          "[cli][mocks]") {
  MockedPipeline p;
  auto mocks = p.dir.write("Misspelt.json", R"({
  "StateMachines": {"pipeline": {"TestCases": {"Typo": {"Fetch": "Ok", "Reprot": "Ok"}}}},
  "MockedResponses": {"Ok": {"0": {"Return": {}}}}})");
  auto run = run_flowstate({"run", p.definition, "--store", p.store, "--mock-config", mocks.string(),
                            "--test-case", "Typo"});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err == "flowstate: error: " + mocks.string() + ": test case 'Typo' of state machine "
                   "'pipeline' mocks state 'Reprot', which its definition does not have; name a "
                   "state of the definition, or remove it from the test case\n");
}

TEST_CASE("flowstate run --mock-config: the same mocks apply without a store", "[cli][mocks]") {
  MockedPipeline p;
  auto run = run_flowstate({"run", p.definition, "--no-store", "--skip-waits", "-q", "--mock-config",
                            p.mocks, "--test-case", "HappyPath"});
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(run.out) == *data::parse_json(R"({"report":{"sent":true}})"));
}

TEST_CASE("flowstate redrive --test-case: a run that failed on a mocked error is redriven with "
          "another test case and reuses what succeeded",
          "[cli][mocks][redrive]") {
  MockedPipeline p;
  auto failed = run_flowstate({"run", p.definition, "--store", p.store, "--name", "broken",
                               "--skip-waits", "-q", "--mock-config", p.mocks, "--test-case",
                               "BrokenFetch", "--format", "json"});
  REQUIRE(failed.exit_code == 1);
  CHECK(failed.out.find("Lambda.Unknown") != std::string::npos);
  auto redriven = run_flowstate({"redrive", "broken", "--store", p.store, "--skip-waits", "-q",
                                 "--test-case", "HappyPath"});
  REQUIRE(redriven.exit_code == 0);
  CHECK(*data::parse_json(redriven.out) == *data::parse_json(R"({"report":{"sent":true}})"));
  // The redrive counted Fetch's invocations from the start of this process: HappyPath's
  // invocation 0 (busy) then 1 (rows), so the retry ran again.
  auto history = run_flowstate({"history", "broken", "--store", p.store, "--format", "json"});
  auto types = event_types(history.out);
  CHECK(std::count(types.begin(), types.end(), "ExecutionRedriven") == 1);
  CHECK(std::count(types.begin(), types.end(), "LambdaFunctionSucceeded") == 1);
}

TEST_CASE("flowstate run --mock-config: a missing test case, an unknown one and an unmocked "
          "cloud resource are refused before anything runs",
          "[cli][mocks]") {
  MockedPipeline p;
  auto missing = run_flowstate({"run", p.definition, "--no-store", "--mock-config", p.mocks});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "flowstate: error: --mock-config needs --test-case NAME; the test cases of "
                       "'pipeline' in " + p.mocks + " are BrokenFetch, FetchOnly, HappyPath\n");

  auto unknown = run_flowstate({"run", p.definition, "--no-store", "--mock-config", p.mocks,
                                "--test-case", "Sad"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "flowstate: error: " + p.mocks + ": no test case 'Sad' for state machine "
                       "'pipeline' (the state machine is named after the definition file); its "
                       "test cases are BrokenFetch, FetchOnly, HappyPath\n");

  // FetchOnly mocks Fetch only: Report's Lambda integration has nothing to serve it. AWS
  // Step Functions Local would call the real service there; flowstate warns at load and, as
  // the run reaches Report, fails it with States.Runtime (which no Catch takes).
  auto unmocked = run_flowstate({"run", p.definition, "--store", p.store, "--name", "fetch-only",
                                 "--skip-waits", "--mock-config", p.mocks, "--test-case", "FetchOnly"});
  CHECK(unmocked.exit_code == 1);
  CHECK(unmocked.err.find("pipeline.yaml:11:15: warning: the test case mocks no response for state "
                          "'Report', and no task resource serves 'arn:aws:states:::lambda:invoke'; "
                          "the run fails with States.Runtime if it reaches that state\n") !=
        std::string::npos);
  auto described = run_flowstate({"describe", "fetch-only", "--store", p.store});
  CHECK(described.out.find("States.Runtime") != std::string::npos);
  CHECK(described.out.find("No task resource serves 'arn:aws:states:::lambda:invoke', and the mock "
                           "test case has no response for it.") != std::string::npos);
  auto fetch_only = run_flowstate({"history", "fetch-only", "--store", p.store, "--format", "json"});
  std::vector<std::string> types = event_types(fetch_only.out);
  REQUIRE(types.size() >= 3);
  CHECK(std::vector<std::string>(types.end() - 3, types.end()) ==
        std::vector<std::string>{"TaskScheduled", "TaskStartFailed", "ExecutionFailed"});

  auto bad_file = run_flowstate({"run", p.definition, "--no-store", "--mock-config",
                                 p.definition, "--test-case", "HappyPath"});
  CHECK(bad_file.exit_code == 2);
  CHECK(bad_file.err.starts_with("flowstate: error: " + p.definition + ": 1:1: not valid JSON"));
}

TEST_CASE("flowstate run --mock-config: a nested state machine uses the test case of the same name "
          "for its own machine",
          "[cli][mocks][nested]") {
  TempDir dir;
  auto parent = dir.write("parent.yaml", R"(StartAt: Child
States:
  Child:
    Type: Task
    Resource: arn:aws:states:::states:startExecution.sync:2
    Parameters: {StateMachineArn: child.yaml, Input: {n: 1}}
    OutputPath: $.Output
    End: true
)").string();
  dir.write("child.yaml", R"(StartAt: Call
States:
  Call: {Type: Task, Resource: "arn:aws:lambda:us-east-1:111111111111:function:f", End: true}
)");
  auto mocks = dir.write("mocks.json", R"({
  "StateMachines": {
    "parent": {"TestCases": {"Nested": {}}},
    "child": {"TestCases": {"Nested": {"Call": "Answer"}}}},
  "MockedResponses": {"Answer": {"0": {"Return": {"answer": 42}}}}})").string();
  auto run = run_flowstate({"run", parent, "--store", (dir / "store").string(), "-q",
                            "--mock-config", mocks, "--test-case", "Nested"});
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(run.out) == *data::parse_json(R"({"answer":42})"));
}

}  // namespace
}  // namespace flowstate::cli
