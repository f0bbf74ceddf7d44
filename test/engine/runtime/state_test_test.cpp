// TestState's engine capability: one state of a definition run on an input, with a given
// result or error in place of a Task's work, answered as AWS's TestState answers
// (DG-teststate: docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html).
#include "engine/runtime/state_test.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/definition/state_test_definition.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::runtime {
namespace {

namespace json = boost::json;

struct Tested {
  std::optional<std::string> refusal;
  json::object response;  ///< TestState's response at DEBUG
  std::string field(std::string_view name) const {
    const json::value* value = response.if_contains(name);
    return value ? std::string(value->as_string()) : std::string();
  }
  std::string inspection(std::string_view name) const {
    const json::value* value = response.at("inspectionData").as_object().if_contains(name);
    return value ? std::string(value->as_string()) : std::string();
  }
  const json::object& error_details() const {
    return response.at("inspectionData").at("errorDetails").as_object();
  }
};

json::value parsed(std::string_view text) { return test::parse_json_text(text); }

// Compiles `definition` (one state's JSON, or with `state` a whole machine) and tests it.
Tested test_definition(std::string_view definition, std::optional<std::string> state, std::string_view input,
                       std::optional<tasks::MockedOutcome> mock = std::nullopt, std::int64_t retries = 0,
                       std::optional<std::string_view> variables = std::nullopt) {
  definition::Diagnostics diagnostics;
  auto compiled = definition::compile_state_test_definition(definition, "definition", state, diagnostics);
  REQUIRE(compiled);
  StateTestRequest request;
  request.state = compiled->state;
  request.input = parsed(input);
  request.mock = std::move(mock);
  request.retrier_retry_count = retries;
  request.level = InspectionLevel::debug;
  if (variables) request.variables = parsed(*variables).as_object();
  Tested tested;
  tested.refusal = state_test_refusal(compiled->plan, request);
  if (tested.refusal) return tested;
  boost::asio::io_context io;
  std::optional<StateTestResult> result;
  boost::asio::co_spawn(io, test_state(compiled->plan, std::move(request), nullptr),
                        [&](std::exception_ptr error, StateTestResult done) {
                          if (error) std::rethrow_exception(error);
                          result = std::move(done);
                        });
  io.run();
  REQUIRE(result);
  tested.response = test_state_response(*result, InspectionLevel::debug, input);
  return tested;
}

tasks::MockedOutcome returns(std::string_view result) { return {parsed(result), {}}; }
tasks::MockedOutcome throws(std::string error, std::string cause) { return {std::nullopt, asl::Failure(error, cause)}; }

constexpr std::string_view kLambdaTask = R"({
  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "f", "Payload.$": "$.order"},
  "ResultSelector": {"status.$": "$.Payload.status"}, "ResultPath": "$.result",
  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 1},
            {"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}],
  "Catch": [{"ErrorEquals": ["Lambda.ServiceException"], "ResultPath": "$.error", "Next": "HandleFailure"}],
  "Next": "Ship"})";

TEST_CASE("TestState: a Pass state's InputPath, Parameters, ResultPath and OutputPath, as AWS's DEBUG example",
          "[runtime][test_state]") {
  auto tested = test_definition(R"({"Type": "Pass", "InputPath": "$.payload", "Parameters": {"data": 1},
    "ResultPath": "$.result", "OutputPath": "$.result.data", "Next": "Another State"})",
                                std::nullopt, R"({"payload": {"foo": "bar"}})");
  CHECK(tested.field("status") == "SUCCEEDED");
  CHECK(tested.field("output") == "1");
  CHECK(tested.field("nextState") == "Another State");
  CHECK(tested.inspection("input") == R"({"payload": {"foo": "bar"}})");
  CHECK(tested.inspection("afterInputPath") == R"({"foo":"bar"})");
  CHECK(tested.inspection("afterParameters") == R"({"data":1})");
  CHECK(tested.inspection("afterResultSelector") == R"({"data":1})");
  CHECK(tested.inspection("afterResultPath") == R"({"payload":{"foo":"bar"},"result":{"data":1}})");
  CHECK(tested.inspection("result").empty());
}

TEST_CASE("TestState: a Task's given result goes through ResultSelector and ResultPath", "[runtime][test_state]") {
  auto tested = test_definition(kLambdaTask, std::nullopt, R"({"order": {"id": 7}})",
                                returns(R"({"Payload": {"status": "paid"}, "StatusCode": 200})"));
  CHECK(tested.field("status") == "SUCCEEDED");
  CHECK(tested.field("output") == R"({"order":{"id":7},"result":{"status":"paid"}})");
  CHECK(tested.field("nextState") == "Ship");
  CHECK(tested.inspection("afterParameters") == R"({"FunctionName":"f","Payload":{"id":7}})");
  CHECK(tested.inspection("result") == R"({"Payload":{"status":"paid"},"StatusCode":200})");
  CHECK(tested.inspection("afterResultSelector") == R"({"status":"paid"})");
  CHECK(tested.inspection("afterResultPath") == R"({"order":{"id":7},"result":{"status":"paid"}})");
}

TEST_CASE("TestState: an error a retrier matches is RETRIABLE with its index and back-off", "[runtime][test_state]") {
  // DG-teststate: retrierRetryCount 1, IntervalSeconds 2, BackoffRate 2.0 → 4 seconds; the
  // retrier's index in the Retry array (API_InspectionErrorDetails), here the second.
  auto tested = test_definition(kLambdaTask, std::nullopt, R"({"order": {}})",
                                throws("Lambda.ServiceException", "Service error"), 1);
  CHECK(tested.field("status") == "RETRIABLE");
  CHECK(tested.field("error") == "Lambda.ServiceException");
  CHECK(tested.field("cause") == "Service error");
  CHECK(tested.field("nextState").empty());
  CHECK(tested.field("output").empty());
  CHECK(tested.error_details() == json::object{{"retryIndex", 1}, {"retryBackoffIntervalSeconds", 4}});
}

TEST_CASE("TestState: once the retrier is spent the Catch takes the error: CAUGHT_ERROR and the catcher's Next",
          "[runtime][test_state]") {
  auto tested = test_definition(kLambdaTask, std::nullopt, R"({"order": {}})",
                                throws("Lambda.ServiceException", "Service error"), 3);
  CHECK(tested.field("status") == "CAUGHT_ERROR");
  CHECK(tested.field("nextState") == "HandleFailure");
  CHECK(tested.field("error") == "Lambda.ServiceException");
  CHECK(tested.field("output") ==
        R"({"order":{},"error":{"Error":"Lambda.ServiceException","Cause":"Service error"}})");
  CHECK(tested.error_details() == json::object{{"catchIndex", 0}});
}

TEST_CASE("TestState: an error no retrier or catcher takes FAILS the state", "[runtime][test_state]") {
  auto tested = test_definition(kLambdaTask, std::nullopt, R"({"order": {}})", throws("Custom", "no handler"));
  CHECK(tested.field("status") == "FAILED");
  CHECK(tested.field("error") == "Custom");
  CHECK(tested.field("cause") == "no handler");
  CHECK(tested.field("nextState").empty());
  CHECK(tested.field("output").empty());
}

TEST_CASE("TestState: a Choice state names the chosen state as nextState", "[runtime][test_state]") {
  constexpr std::string_view kChoice = R"({"Type": "Choice", "Choices": [
    {"Variable": "$.number", "NumericEquals": 1, "Next": "Equals 1"},
    {"Variable": "$.number", "NumericEquals": 2, "Next": "Equals 2"}], "Default": "No Match"})";
  auto two = test_definition(kChoice, std::nullopt, R"({"number": 2})");
  CHECK(two.field("status") == "SUCCEEDED");
  CHECK(two.field("nextState") == "Equals 2");
  CHECK(two.field("output") == R"({"number":2})");
  CHECK(test_definition(kChoice, std::nullopt, R"({"number": 5})").field("nextState") == "No Match");
}

TEST_CASE("TestState: a JSONata state's Assign shows in the variables, over the request's", "[runtime][test_state]") {
  auto tested = test_definition(R"({"Type": "Pass", "QueryLanguage": "JSONata",
    "Assign": {"total": "{% $states.input.a + $base %}"}, "Output": {"sum": "{% $states.input.a + $base %}"},
    "End": true})",
                                std::nullopt, R"({"a": 2})", std::nullopt, 0, R"({"base": 40})");
  CHECK(tested.field("status") == "SUCCEEDED");
  CHECK(tested.field("output") == R"({"sum":42})");
  CHECK(tested.field("nextState").empty());
  CHECK(tested.inspection("variables") == R"({"base":40,"total":42})");
  CHECK(tested.inspection("afterInputPath").empty());
}

TEST_CASE("TestState: a JSONata Task's Arguments and result", "[runtime][test_state]") {
  auto tested = test_definition(R"({"Type": "Task", "QueryLanguage": "JSONata",
    "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"Payload": "{% $states.input.n * 2 %}"},
    "Output": "{% $states.result.Payload %}", "End": true})",
                                std::nullopt, R"({"n": 21})", returns(R"({"Payload": 42})"));
  CHECK(tested.field("output") == "42");
  CHECK(tested.inspection("afterArguments") == R"({"Payload":42})");
  CHECK(tested.inspection("result") == R"({"Payload":42})");
  CHECK(tested.inspection("afterParameters").empty());
}

TEST_CASE("TestState: a Fail state FAILS with its Error and Cause", "[runtime][test_state]") {
  auto tested = test_definition(R"({"Type": "Fail", "Error": "Rejected", "Cause": "the order is void"})",
                                std::nullopt, "{}");
  CHECK(tested.field("status") == "FAILED");
  CHECK(tested.field("error") == "Rejected");
  CHECK(tested.field("cause") == "the order is void");
}

TEST_CASE("TestState: a Wait state does not wait", "[runtime][test_state]") {
  auto before = std::chrono::steady_clock::now();
  auto tested = test_definition(R"({"Type": "Wait", "Seconds": 3600, "Next": "Later"})", std::nullopt, R"({"x": 1})");
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(10));
  CHECK(tested.field("status") == "SUCCEEDED");
  CHECK(tested.field("nextState") == "Later");
  CHECK(tested.field("output") == R"({"x":1})");
}

TEST_CASE("TestState: stateName picks a state inside a Parallel branch of a whole machine", "[runtime][test_state]") {
  auto tested = test_definition(R"(
StartAt: Both
States:
  Both:
    Type: Parallel
    Branches:
      - StartAt: Inner
        States:
          Inner: {Type: Pass, Result: {inner: true}, ResultPath: $.r, Next: Last}
          Last: {Type: Succeed}
    End: true
)",
                                "Inner", R"({"a": 1})");
  CHECK(tested.field("output") == R"({"a":1,"r":{"inner":true}})");
  CHECK(tested.field("nextState") == "Last");
}

TEST_CASE("TestState: refusals, as AWS answers them with ValidationException", "[runtime][test_state]") {
  CHECK(test_definition(R"({"Type": "Pass", "End": true})", std::nullopt, "{}", returns("1")).refusal ==
        "A mock can only be specified for Task, Map, or Parallel states; 'TestState' is a Pass state.");
  CHECK(test_definition(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "End": true})",
                        std::nullopt, "{}")
            .refusal ==
        "The Task 'TestState' ('arn:aws:states:::lambda:invoke.waitForTaskToken') is tested with a mock of its "
        "result or error: an activity, .sync or .waitForTaskToken Task is not run by TestState.");
  CHECK(test_definition("StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n", "B", "{}").refusal ==
        "The state 'B' is not in the definition.");
}

TEST_CASE("TestState: a single state's definition that is not a JSON object is a diagnostic",
          "[runtime][test_state]") {
  definition::Diagnostics diagnostics;
  CHECK_FALSE(definition::compile_state_test_definition("[1]", "definition", std::nullopt, diagnostics));
  REQUIRE(diagnostics.size() == 1);
  CHECK(definition::to_string(diagnostics.items()[0]) ==
        "definition:1:1: error: the definition of a state must be a JSON object, e.g. {\"Type\": \"Pass\", "
        "\"End\": true}; a whole machine needs the name of the state to test");
}

}  // namespace
}  // namespace flowstate::runtime
