// MockConfig: AWS Step Functions Local's mock configuration format — what it accepts, the
// errors naming the field for what it refuses, and invocation counting in TaskMocks.
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/tasks/mock_config.hpp"

namespace flowstate::tasks {
namespace {

constexpr std::string_view kConfig = R"({
  "StateMachines": {
    "pipeline": {"TestCases": {
      "HappyPath": {"Fetch": "FetchOk"},
      "RetryPath": {"Fetch": "FetchFlaky", "Store": "FetchOk"}}}},
  "MockedResponses": {
    "FetchOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"rows": 3}}}},
    "FetchFlaky": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
      "3": {"Return": "done"},
      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException"}}}}})";

std::string parse_error(std::string_view text) {
  auto config = MockConfig::parse(text);
  REQUIRE_FALSE(config.has_value());
  return config.error();
}

TEST_CASE("MockConfig: test cases map states to mocked responses by machine and name", "[mocks]") {
  auto config = MockConfig::parse(kConfig);
  REQUIRE(config.has_value());
  const MockedStates* happy = config->test_case("pipeline", "HappyPath");
  REQUIRE(happy);
  CHECK(happy->size() == 1);
  CHECK(happy->at("Fetch")->name == "FetchOk");
  CHECK(config->test_case("pipeline", "Missing") == nullptr);
  CHECK(config->test_case("other", "HappyPath") == nullptr);
  CHECK(config->test_case_names("pipeline") == "HappyPath, RetryPath");
  CHECK(config->machine_names() == "pipeline");

  const MockedResponse& flaky = *config->test_case("pipeline", "RetryPath")->at("Fetch");
  CHECK(flaky.covered() == "0, 1-2, 3");
  REQUIRE(flaky.at(2));
  CHECK(flaky.at(2)->failure.error == "Lambda.TooManyRequestsException");
  CHECK_FALSE(flaky.at(2)->failure.cause);
  CHECK(flaky.at(3)->result == boost::json::value("done"));
  CHECK(flaky.at(4) == nullptr);
}

TEST_CASE("TaskMocks: each state counts its own invocations, and past the last one the task "
          "fails saying so",
          "[mocks]") {
  auto config = MockConfig::parse(kConfig);
  REQUIRE(config.has_value());
  TaskMocks mocks(*config->test_case("pipeline", "RetryPath"));
  CHECK(mocks.mocks("Fetch"));
  CHECK_FALSE(mocks.mocks("Unmocked"));
  CHECK_FALSE(mocks.next("Unmocked"));
  CHECK(mocks.next("Fetch")->failure.error == "Lambda.ServiceException");
  CHECK(mocks.next("Store")->result == *data::parse_json(R"({"StatusCode":200,"Payload":{"rows":3}})"));
  CHECK(mocks.next("Fetch")->failure.error == "Lambda.TooManyRequestsException");
  CHECK(mocks.next("Fetch")->failure.error == "Lambda.TooManyRequestsException");
  CHECK(mocks.next("Fetch")->result == boost::json::value("done"));
  auto past = mocks.next("Fetch");
  REQUIRE(past);
  CHECK_FALSE(past->result);
  CHECK(past->failure.error == "States.TaskFailed");
  CHECK(past->failure.cause == "mocked response 'FetchFlaky' has no outcome for invocation 4 of "
                               "state 'Fetch' (it covers invocations 0, 1-2, 3)");
}

TEST_CASE("MockConfig: a malformed file is refused with the field that is wrong", "[mocks]") {
  CHECK(parse_error("{") .starts_with("1:2: not valid JSON"));
  CHECK(parse_error("[]") == "must be a JSON object with \"StateMachines\" and \"MockedResponses\"");
  CHECK(parse_error(R"({"StateMachines": {}, "Mocks": {}})") ==
        "unknown top-level field 'Mocks' (expected \"StateMachines\" and \"MockedResponses\")");
  CHECK(parse_error(R"({"MockedResponses": {}})") ==
        "StateMachines: must be an object of state machine names, not missing");
  CHECK(parse_error(R"({"StateMachines": {"m": {}}})") == "StateMachines.m: must be {\"TestCases\": {...}}");
  CHECK(parse_error(R"({"StateMachines": {"m": {"TestCases": {"t": {"S": "Nope"}}}},
                        "MockedResponses": {"Ok": {"0": {"Return": 1}}}})") ==
        "StateMachines.m.TestCases.t.S: no mocked response named 'Nope' in MockedResponses (it has Ok)");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"1-x": {"Return": 1}}}})") ==
        "MockedResponses.R.\"1-x\": an invocation number must be \"N\" or a range \"N-M\" with N <= M "
        "(counted from 0)");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}})")
            .starts_with("MockedResponses.R.\"2-1\": an invocation number"));
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}})") ==
        "MockedResponses.R: invocation 2 is given twice");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}})") ==
        "MockedResponses.R.\"0\": needs exactly one of \"Return\" (the task's result) or \"Throw\" "
        "({\"Error\": ..., \"Cause\": ...})");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Delay": 1}}}})") ==
        "MockedResponses.R.\"0\": unknown field 'Delay' (a mocked invocation has \"Return\" or \"Throw\")");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}})") ==
        "MockedResponses.R.\"0\".Throw: must be {\"Error\": \"a non-empty string\", \"Cause\": \"a string\"}");
  CHECK(parse_error(R"({"StateMachines": {}, "MockedResponses": {"R": {}}})") ==
        "MockedResponses.R: must be a non-empty object of invocation numbers such as \"0\" or \"1-3\", "
        "not an empty object");
}

TEST_CASE("MockConfig::load names the file it cannot read", "[mocks]") {
  auto config = MockConfig::load("/nonexistent/MockConfigFile.json");
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error() == "/nonexistent/MockConfigFile.json: cannot read the mock configuration: No "
                          "such file or directory");
}

}  // namespace
}  // namespace flowstate::tasks
