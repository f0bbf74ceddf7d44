// JSONata states: Arguments, Output and Assign with $states (input, context, result,
// errorOutput) and the workflow variables, Choice conditions, Map Items and ItemSelector,
// Wait expressions, AWS's added functions, and QueryEvaluationError with EvaluationFailed.
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;

TEST_CASE("JSONata states: Output and Assign read $states.input and the variables", "[runtime][jsonata]") {
  auto run = run_machine(R"y(
QueryLanguage: JSONata
StartAt: Sum
States:
  Sum:
    Type: Pass
    Assign: {total: "{% $sum($states.input.values) %}", first: "{% $states.input.values[0] %}"}
    Output: {count: "{% $count($states.input.values) %}"}
    Next: Show
  Show:
    Type: Pass
    Output: {total: "{% $total %}", first: "{% $first %}", count: "{% $states.input.count %}", literal: [1, "x"]}
    End: true
)y",
                         R"({"values":[3,4,5]})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"total":12,"first":3,"count":3,"literal":[1,"x"]})");
}

TEST_CASE("JSONata states: a Task's Arguments feed it and its Output reads $states.result",
          "[runtime][jsonata]") {
  auto run = run_machine(test::with_task_double(R"y(
QueryLanguage: JSONata
StartAt: T
States:
  T:
    Type: Task
    Resource: "arn:flowstate:::command"
    Arguments: {Command: ["{td}", "echo"], Input: {doubled: "{% $states.input.n * 2 %}"}}
    Output: {result: "{% $states.result.doubled %}", input: "{% $states.input.n %}"}
    Assign: {seen: "{% $states.result %}"}
    End: true
)y"),
                         R"({"n":21})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"result":42,"input":21})");
}

TEST_CASE("JSONata states: a Choice takes the first true Condition with its Output, the Default "
          "with the state's",
          "[runtime][jsonata]") {
  const char* machine = R"y(
QueryLanguage: JSONata
StartAt: Pick
States:
  Pick:
    Type: Choice
    Choices:
      - {Condition: "{% $states.input.n > 5 %}", Output: {size: big}, Assign: {picked: rule}, Next: Done}
    Default: Done
    Output: {size: small}
    Assign: {picked: default}
  Done: {Type: Pass, Output: {size: "{% $states.input.size %}", picked: "{% $picked %}"}, End: true}
)y";
  CHECK(run_machine(machine, R"({"n":9})").output() == R"({"size":"big","picked":"rule"})");
  CHECK(run_machine(machine, R"({"n":1})").output() == R"({"size":"small","picked":"default"})");
}

TEST_CASE("JSONata states: a Catcher's Output and Assign read $states.errorOutput", "[runtime][jsonata]") {
  auto run = run_machine(R"y(
QueryLanguage: JSONata
StartAt: Work
States:
  Work:
    Type: Parallel
    Branches:
      - StartAt: Boom
        States: {Boom: {Type: Fail, Error: Broken, Cause: "{% 'it ' & 'broke' %}"}}
    Catch:
      - ErrorEquals: [States.ALL]
        Output: {error: "{% $states.errorOutput.Error %}", cause: "{% $states.errorOutput.Cause %}"}
        Assign: {failed: true}
        Next: Report
    End: true
  Report: {Type: Pass, Output: {caught: "{% $states.input %}", failed: "{% $failed %}"}, End: true}
)y");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"caught":{"error":"Broken","cause":"it broke"},"failed":true})");
}

TEST_CASE("JSONata states: Map Items and ItemSelector, and a Wait whose Seconds is an expression",
          "[runtime][jsonata]") {
  auto run = run_machine(R"y(
QueryLanguage: JSONata
StartAt: Each
States:
  Each:
    Type: Map
    Items: "{% $states.input.rows[[0..1]] %}"
    ItemSelector: {row: "{% $states.context.Map.Item.Value %}", index: "{% $states.context.Map.Item.Index %}"}
    ItemProcessor:
      StartAt: Pause
      States:
        Pause: {Type: Wait, Seconds: "{% $states.input.index + 1 %}", End: true}
    Output: "{% $states.result %}"
    End: true
)y",
                         R"({"rows":["a","b","c"]})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"([{"row":"a","index":0},{"row":"b","index":1}])");
  CHECK(run.sleeps == std::vector<double>{1.0, 2.0});
}

TEST_CASE("JSONata states: TimeoutSeconds and MaxConcurrency as expressions", "[runtime][jsonata]") {
  auto run = run_machine(test::with_task_double(R"y(
QueryLanguage: JSONata
StartAt: Each
States:
  Each:
    Type: Map
    MaxConcurrency: "{% $states.input.lanes %}"
    Items: "{% $states.input.items %}"
    ItemProcessor:
      StartAt: Slow
      States:
        Slow:
          Type: Task
          Resource: "arn:flowstate:::command"
          Arguments: {Command: ["{td}", "sleep", "3000"]}
          TimeoutSeconds: "{% $states.input %}"
          End: true
    End: true
)y"),
                         R"({"lanes":1,"items":[1]})");
  REQUIRE(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Timeout");

  auto bad = run_machine(R"y(
QueryLanguage: JSONata
StartAt: Each
States:
  Each:
    Type: Map
    MaxConcurrency: "{% 'two' %}"
    ItemProcessor:
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    End: true
)y",
                         "[1]");
  CHECK(bad.error() == "States.QueryEvaluationError");
  CHECK_THAT(bad.cause(), Catch::Matchers::EndsWith("The JSONata expression ''two'' specified for the "
                                                    "field 'MaxConcurrency' returned \"two\"; it must be "
                                                    "an integer from 0 to 2147483647"));
}

TEST_CASE("JSONata states: Step Functions' own functions", "[runtime][jsonata]") {
  auto run = run_machine(R"y(
QueryLanguage: JSONata
StartAt: F
States:
  F:
    Type: Pass
    Output:
      partition: "{% $partition([1,2,3,4,5], 2) %}"
      range: "{% $range(0, 10, 5) %}"
      hash: "{% $hash('abc', 'SHA-256') %}"
      parsed: "{% $parse('{\"a\": [1]}') %}"
      uuid: "{% $length($uuid()) %}"
      seeded: "{% $random(7) = $random(7) %}"
    End: true
)y");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"partition":[[1,2],[3,4],[5]],"range":[0,5,10],)"
                        R"("hash":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",)"
                        R"("parsed":{"a":[1]},"uuid":36,"seeded":true})");
}

TEST_CASE("JSONata states: an expression that fails or returns nothing is a QueryEvaluationError "
          "after an EvaluationFailed event",
          "[runtime][jsonata]") {
  auto run = run_machine(R"y(
QueryLanguage: JSONata
StartAt: P
States:
  P: {Type: Pass, Output: {result: "{% $doesNotExist %}"}, End: true}
)y");
  REQUIRE(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.QueryEvaluationError");
  CHECK(run.cause() == "An error occurred while executing the state 'P' (entered at the event id #2). "
                       "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
                       "returned nothing (undefined).");
  CHECK(run.event_types() == std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                                      "EvaluationFailed", "ExecutionFailed"});

  auto thrown = run_machine(R"y(
QueryLanguage: JSONata
StartAt: P
States:
  P: {Type: Pass, Output: "{% $states.input.a + 'x' %}", End: true}
)y",
                            R"({"a":1})");
  CHECK(thrown.error() == "States.QueryEvaluationError");
  CHECK_THAT(thrown.cause(), Catch::Matchers::EndsWith("The JSONata expression '$states.input.a + 'x'' "
                                                       "specified for the field 'Output' threw an error "
                                                       "during evaluation. T2002: The right side of the "
                                                       "\"+\" operator must evaluate to a number"));

  // [conformance: base_scenarios.map_state_items_eval_jsonata_fail~function]
  auto function = run_machine(R"y(
QueryLanguage: JSONata
StartAt: P
States:
  P: {Type: Pass, Output: "{% function($x){$x} %}", End: true}
)y");
  CHECK(function.error() == "States.QueryEvaluationError");
  CHECK_THAT(function.cause(), Catch::Matchers::EndsWith("The JSONata expression 'function($x){$x}' "
                                                         "specified for the field 'Output' returned an "
                                                         "unsupported result type."));
}

}  // namespace
}  // namespace flowstate::runtime
