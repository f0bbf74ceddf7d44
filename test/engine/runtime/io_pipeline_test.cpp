// Tests of the JSONPath input/output pipeline through whole executions: Pass (Result,
// Parameters, InputPath, ResultPath, OutputPath), Choice, Succeed and Fail, with AWS's exact
// States.Runtime causes and their "entered at the event id" prefix.
#include "engine/runtime/io_pipeline.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;

/// One Pass state named P with the given extra fields (a YAML flow mapping body).
std::string pass_machine(const std::string& fields) {
  return "StartAt: P\nStates:\n  P: {Type: Pass, End: true, " + fields + "}\n";
}

TEST_CASE("Pass: the pipeline places Result and Parameters where its paths say",
          "[runtime][pass]") {
  auto [fields, input, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"Comment: none", R"({"a":1})", R"({"a":1})"},
      {"Result: {x: 1}", R"({"a":1})", R"({"x":1})"},
      {"Result: [1, 2]", R"({"a":1})", "[1,2]"},
      {"Result: {x: 1}, ResultPath: $.r", R"({"a":1})", R"({"a":1,"r":{"x":1}})"},
      {"Result: {x: 1}, ResultPath: null", R"({"a":1})", R"({"a":1})"},
      {"Result: 7, ResultPath: $.deep.er.path", R"({"a":1})",
       R"({"a":1,"deep":{"er":{"path":7}}})"},
      {"Result: 7, ResultPath: $.a", R"({"a":1,"b":2})", R"({"a":7,"b":2})"},
      {"Parameters: {v.$: $.a, lit: $.a, s.$: \"States.Format('n={}', $.a)\"}", R"({"a":1})",
       R"({"v":1,"lit":"$.a","s":"n=1"})"},
      {"InputPath: $.sub", R"({"sub":{"k":2},"a":1})", R"({"k":2})"},
      {"InputPath: $.sub, ResultPath: $.r", R"({"sub":{"k":2},"a":1})",
       R"({"sub":{"k":2},"a":1,"r":{"k":2}})"},
      {"InputPath: $.sub, Parameters: {got.$: $.k}, ResultPath: $.r", R"({"sub":{"k":2}})",
       R"({"sub":{"k":2},"r":{"got":2}})"},
      {"InputPath: null", R"({"a":1})", "{}"},
      {"InputPath: null, ResultPath: $.r", R"({"a":1})", R"({"a":1,"r":{}})"},
      {"OutputPath: $.a", R"({"a":{"b":[1]}})", R"({"b":[1]})"},
      {"OutputPath: null", R"({"a":1})", "{}"},
      {"Result: {x: 1}, ResultPath: $.r, OutputPath: $.r.x", R"({"a":1})", "1"},
      {"InputPath: '$.items[*].id'", R"({"items":[{"id":1},{"id":2}]})", "[1,2]"},
      {"Parameters: {id.$: $$.Execution.Name}", "{}", R"({"id":"test-execution"})"},
  }));
  CAPTURE(fields, input);
  auto run = run_machine(pass_machine(fields), input);
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == expected);
}

TEST_CASE("Pass: a path that matches nothing fails with States.Runtime and AWS's cause",
          "[runtime][pass]") {
  auto [fields, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"InputPath: $.nope", "{}", "Invalid path '$.nope' : No results for path: $['nope']"},
      {"OutputPath: $.no.such", R"({"a":1})",
       "Invalid path '$.no.such' : Missing property in path $['no']"},
      {"Parameters: {value.$: $.x}", R"({"a":1})",
       "The JSONPath '$.x' specified for the field 'value.$' could not be found in the input "
       "'{\"a\":1}'"},
  }));
  CAPTURE(fields);
  auto run = run_machine(pass_machine(fields), input);
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() ==
        "An error occurred while executing the state 'P' (entered at the event id #2). " + cause);
  CHECK(run.event_types() ==
        std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "ExecutionFailed"});
}

TEST_CASE("Pass: the error prefix names the entered event of the failing state",
          "[runtime][pass]") {
  auto run = run_machine(R"(
StartAt: A
States:
  A: {Type: Pass, Next: B}
  B: {Type: Pass, Next: C}
  C: {Type: Pass, OutputPath: $.missing, End: true}
)");
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'C' (entered at the event "
                       "id #6). Invalid path '$.missing' : No results for path: $['missing']");
}

TEST_CASE("Pass: a ResultPath through a non-object input fails with ResultPathMatchFailure",
          "[runtime][pass]") {
  auto run = run_machine(pass_machine("Result: 1, ResultPath: $.x"), R"("foo")");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.ResultPathMatchFailure");
  CHECK(run.cause() == "An error occurred while executing the state 'P' (entered at the event "
                       "id #2). Unable to apply ResultPath '$.x' to input '\"foo\"'");
}

TEST_CASE("Pass: an output over 256 KiB fails the execution with DataLimitExceeded",
          "[runtime][pass]") {
  std::string big(262144, 'x');
  auto run = run_machine(pass_machine("Parameters: {a.$: $.s, b.$: $.s}"),
                         "{\"s\":\"" + big.substr(0, 140000) + "\"}");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.DataLimitExceeded");
  CHECK(run.cause() == "The state/task 'P' returned a result with a size exceeding the maximum "
                       "number of bytes service limit.");
  CHECK(run.event_types() ==
        std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "ExecutionFailed"});
}

const char* const kChoice = R"(
StartAt: C
States:
  C:
    Type: Choice
    InputPath: $.in
    OutputPath: $.v
    Choices:
      - {Variable: $.v, NumericLessThan: 10, Next: Small}
      - And:
          - {Variable: $.v, NumericGreaterThanEquals: 10}
          - {Variable: $.v, NumericLessThan: 100}
        Next: Medium
    Default: Large
  Small: {Type: Pass, Result: small, End: true}
  Medium: {Type: Pass, Parameters: {size: medium, v.$: $}, End: true}
  Large: {Type: Succeed}
)";

TEST_CASE("Choice: the first matching rule decides, else Default, and paths filter as usual",
          "[runtime][choice]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {R"({"in":{"v":3}})", R"("small")"},
      {R"({"in":{"v":10}})", R"({"size":"medium","v":10})"},
      {R"({"in":{"v":1000},"other":1})", "1000"},
  }));
  CAPTURE(input);
  auto run = run_machine(kChoice, input);
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == expected);
}

TEST_CASE("Choice: no matching rule and no Default fails with States.NoChoiceMatched",
          "[runtime][choice]") {
  auto run = run_machine(R"(
StartAt: C
States:
  C:
    Type: Choice
    Choices: [{Variable: $.v, StringEquals: yes, Next: Done}]
  Done: {Type: Succeed}
)",
                         R"({"v":"no"})");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.NoChoiceMatched");
  CHECK(run.cause() == "An error occurred while executing the state 'C' (entered at the event "
                       "id #2). no Choice rule matched the input, and the state has no Default");
  CHECK(run.event_types() ==
        std::vector<std::string>{"ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"});
}

TEST_CASE("Succeed: InputPath and OutputPath shape the execution output", "[runtime][succeed]") {
  auto run = run_machine(R"(
StartAt: S
States:
  S: {Type: Succeed, InputPath: $.a, OutputPath: $.b}
)",
                         R"({"a":{"b":[true]},"c":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[true]");
  CHECK(run.event_types() == std::vector<std::string>{"ExecutionStarted", "SucceedStateEntered",
                                                      "SucceedStateExited", "ExecutionSucceeded"});
}

TEST_CASE("Fail: Error and Cause, or ErrorPath and CausePath, become the execution's failure",
          "[runtime][fail]") {
  auto [fields, error, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"Error: Custom.Error, Cause: it broke", "Custom.Error", "it broke"},
      {"Error: OnlyError", "OnlyError", ""},
      {"ErrorPath: $.e, CausePath: $.c", "FromInput", "because"},
      {"ErrorPath: $.e, CausePath: $.obj", "FromInput", R"({"k":[1]})"},
      {"Error: E, CausePath: \"States.Format('code {} in {}', $.n, $.e)\"", "E",
       "code 42 in FromInput"},
      {"ErrorPath: $$.State.Name, Cause: x", "F", "x"},
  }));
  CAPTURE(fields);
  auto run = run_machine("StartAt: F\nStates:\n  F: {Type: Fail, " + fields + "}\n",
                         R"({"e":"FromInput","c":"because","obj":{"k":[1]},"n":42})");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == error);
  CHECK(run.cause() == cause);
  CHECK(run.event_types() ==
        std::vector<std::string>{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"});
}

TEST_CASE("Fail: an ErrorPath that matches nothing is States.Runtime", "[runtime][fail]") {
  auto run = run_machine("StartAt: F\nStates:\n  F: {Type: Fail, ErrorPath: $.nope}\n",
                         R"({"a":1})");
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'F' (entered at the event "
                       "id #2). The JSONPath '$.nope' specified for the field 'ErrorPath' could "
                       "not be found in the input '{\"a\":1}'");
}

TEST_CASE("Fail: a failure event carries the error and cause in its details", "[runtime][fail]") {
  auto run = run_machine("StartAt: F\nStates:\n  F: {Type: Fail, Error: E, Cause: C}\n");
  const HistoryEvent* failed = run.first_event("ExecutionFailed");
  REQUIRE(failed != nullptr);
  CHECK(data::serialize_json(failed->details) == R"({"error":"E","cause":"C"})");
  CHECK(failed->previous_id == 2);
}

}  // namespace
}  // namespace flowstate::runtime
