// Workflow variables in JSONPath states (Assign, "$name"): what "$" means in each kind of
// Assign, that every right-hand side sees the values of the state's entry, the scopes of
// Parallel branches and Map iterations, Choice rules, Catchers, and the history AWS records.
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;

std::string details_of(const test::MachineRun& run, std::size_t index) {
  return data::serialize_json(boost::json::value(run.events.at(index).details));
}

TEST_CASE("Variables: a Pass state's Assign reads its result, and later states read $name",
          "[runtime][variables]") {
  auto run = run_machine(R"y(
StartAt: Set
States:
  Set:
    Type: Pass
    Result: {rows: 3, day: mon}
    Assign: {rows.$: $.rows, label: fixed, whole.$: $}
    ResultPath: $.ignored
    Next: Use
  Use:
    Type: Pass
    Parameters: {rows.$: $rows, label.$: $label, day.$: $whole.day, joined.$: "States.Format('{} rows', $rows)"}
    End: true
)y");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"rows":3,"label":"fixed","day":"mon","joined":"3 rows"})");
  // PassStateExited lists what it assigned, each value as JSON text.
  CHECK(details_of(run, 2) ==
        R"({"name":"Set","output":"{\"ignored\":{\"rows\":3,\"day\":\"mon\"}}","outputDetails":{"truncated":false},)"
        R"("assignedVariables":{"rows":"3","label":"\"fixed\"","whole":"{\"rows\":3,\"day\":\"mon\"}"},)"
        R"("assignedVariablesDetails":{"truncated":false}})");
}

TEST_CASE("Variables: every right-hand side of one Assign sees the values of the state's entry",
          "[runtime][variables]") {
  auto run = run_machine(R"y(
StartAt: First
States:
  First: {Type: Pass, Assign: {a: 1, b: 2}, Next: Swap}
  Swap: {Type: Pass, Assign: {a.$: $b, b.$: $a}, Next: Show}
  Show: {Type: Pass, Parameters: {a.$: $a, b.$: $b}, End: true}
)y");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"a":2,"b":1})");
}

TEST_CASE("Variables: Map iterations and Parallel branches read the outer variables, and what they "
          "assign stays inside",
          "[runtime][variables]") {
  auto run = run_machine(R"y(
StartAt: Set
States:
  Set: {Type: Pass, Assign: {factor: 10, seen: outer}, Next: Each}
  Each:
    Type: Map
    ItemsPath: $.items
    ItemSelector: {item.$: $$.Map.Item.Value, factor.$: $factor}
    ItemProcessor:
      StartAt: Inner
      States:
        Inner: {Type: Pass, Assign: {local.$: $.item}, Next: Read}
        Read: {Type: Pass, Parameters: {local.$: $local, factor.$: $factor}, End: true}
    ResultPath: $.mapped
    Next: Both
  Both:
    Type: Parallel
    Branches:
      - StartAt: B1
        States: {B1: {Type: Pass, Parameters: {seen.$: $seen}, End: true}}
      - StartAt: B2
        States: {B2: {Type: Pass, Result: {}, Assign: {branch: two}, End: true}}
    ResultPath: $.branches
    Next: After
  After:
    Type: Pass
    Parameters: {mapped.$: $.mapped, branches.$: $.branches, seen.$: $seen}
    End: true
)y",
                         R"({"items":[1,2]})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"mapped":[{"local":1,"factor":10},{"local":2,"factor":10}],)"
                        R"("branches":[{"seen":"outer"},{}],"seen":"outer"})");
}

TEST_CASE("Variables: a variable assigned only inside a Map iteration is not defined after it",
          "[runtime][variables]") {
  auto run = run_machine(R"y(
StartAt: Each
States:
  Each:
    Type: Map
    ItemsPath: $.items
    ItemProcessor:
      StartAt: Inner
      States: {Inner: {Type: Pass, Assign: {local: 1}, End: true}}
    Next: After
  After: {Type: Pass, Parameters: {local.$: $local}, End: true}
)y",
                         R"({"items":[1]})");
  REQUIRE(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Runtime");
  CHECK_THAT(run.cause(), Catch::Matchers::Contains("'After'") &&
                              Catch::Matchers::Contains("local"));
}

TEST_CASE("Variables: a Choice assigns its chosen rule's Assign, and its own only on Default",
          "[runtime][variables]") {
  const char* machine = R"y(
StartAt: Pick
States:
  Pick:
    Type: Choice
    Choices:
      - {Variable: $.n, NumericGreaterThan: 5, Assign: {size: big, n.$: $.n}, Next: Show}
      - {Variable: $.n, NumericEquals: 0, Next: Show}
    Default: Show
    Assign: {size: default}
  Show: {Type: Pass, Parameters: {size.$: "States.ArrayGetItem(States.Array($size), 0)"}, End: true}
)y";
  CHECK(run_machine(machine, R"({"n":9})").output() == R"({"size":"big"})");
  CHECK(run_machine(machine, R"({"n":3})").output() == R"({"size":"default"})");
  // The second rule has no Assign: nothing is assigned, and $size is not defined.
  CHECK(run_machine(machine, R"({"n":0})").error() == "States.Runtime");
}

TEST_CASE("Variables: a Catcher's Assign reads the error output and sets the variables of the "
          "state's own branch",
          "[runtime][variables]") {
  auto run = run_machine(R"y(
StartAt: Work
States:
  Work:
    Type: Parallel
    Branches:
      - StartAt: Boom
        States: {Boom: {Type: Fail, Error: Broken, Cause: it broke}}
    Catch:
      - ErrorEquals: [States.ALL]
        Assign: {failure.$: $.Error, note: caught}
        ResultPath: null
        Next: Report
    End: true
  Report: {Type: Pass, Parameters: {failure.$: $failure, note.$: $note}, End: true}
)y");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"failure":"Broken","note":"caught"})");
}

TEST_CASE("Variables: a Task's Assign reads its raw result, before ResultSelector",
          "[runtime][variables]") {
  auto run = run_machine(test::with_task_double(R"y(
StartAt: T
States:
  T:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {Command: ["{td}", "echo"], Input: {value: 5}}
    ResultSelector: {selected.$: $.value}
    Assign: {raw.$: $}
    Next: Show
  Show: {Type: Pass, Parameters: {raw.$: $raw, out.$: $}, End: true}
)y"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"raw":{"value":5},"out":{"selected":5}})");
}

TEST_CASE("Variables: a value over 256 KiB, or one Assign over 256 KiB in all, fails with "
          "States.DataLimitExceeded",
          "[runtime][variables][limits]") {
  std::string input = R"({"s":")" + std::string(140000, 'a') + R"("})";
  auto together = run_machine(R"y(
StartAt: P
States:
  P: {Type: Pass, Assign: {x.$: $.s, y.$: $.s}, End: true}
)y",
                              input);
  CHECK(together.status() == ExecutionStatus::failed);
  CHECK(together.error() == "States.DataLimitExceeded");
  CHECK(together.cause() == "An error occurred while executing the state 'P' (entered at the event id "
                            "#2). The values of the state's Assign are 280004 bytes together; one "
                            "Assign sets at most 262144 bytes.");

  auto one = run_machine(R"y(
QueryLanguage: JSONata
StartAt: P
States:
  P: {Type: Pass, Assign: {x: "{% $states.input.s & $states.input.s %}"}, End: true}
)y",
                         input);
  CHECK(one.status() == ExecutionStatus::failed);
  CHECK(one.error() == "States.DataLimitExceeded");
  CHECK_THAT(one.cause(), Catch::Matchers::EndsWith("The value assigned to the variable 'x' is 280002 "
                                                    "bytes; a variable holds at most 262144 bytes."));

  auto fits = run_machine(R"y(
StartAt: P
States:
  P: {Type: Pass, Assign: {x.$: $.s}, End: true}
)y",
                          input);
  CHECK(fits.status() == ExecutionStatus::succeeded);
}

}  // namespace
}  // namespace flowstate::runtime
