// Tests of Parallel branches and Map iterations through whole executions: result order,
// ItemsPath / ItemSelector / legacy fields, MaxConcurrency, failure propagation, the
// cancellation of siblings (real processes, which must not outlive the execution), and
// the history AWS records for each.
#include "engine/runtime/fan_out.hpp"

#include <signal.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/process_exists.hpp"
#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;
using test::with_task_double;
using Types = std::vector<std::string>;

using test::process_exists;

TEST_CASE("Parallel: results are in branch order whatever order the branches finish in",
          "[runtime][parallel]") {
  auto run = run_machine(with_task_double(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    ResultPath: $.results
    End: true
    Branches:
      - StartAt: Slow
        States:
          Slow:
            Type: Task
            Resource: arn:flowstate:::command
            Parameters: {Command: ["{td}", sleep, "300", print, '"slow"']}
            End: true
      - StartAt: Fast
        States:
          Fast: {Type: Pass, Parameters: {got.$: $.in}, End: true}
)"),
                         R"({"in":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"in":1,"results":["slow",{"got":1}]})");
}

TEST_CASE("Parallel: a failed branch aborts its siblings and fails the state with the branch's "
          "error",
          "[runtime][parallel]") {
  test::TempDir dir;
  std::string pid_file = (dir / "sleeper.pid").string();
  auto started = std::chrono::steady_clock::now();
  auto run = run_machine(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    End: true
    Branches:
      - StartAt: Sleeper
        States:
          Sleeper:
            Type: Task
            Resource: arn:flowstate:::command
            Parameters: {Shell: true, Command: "echo $$ > )" + pid_file + R"(; exec sleep 30"}
            End: true
      - StartAt: Failer
        States:
          Failer:
            Type: Task
            Resource: arn:flowstate:::command
            Parameters:
              Shell: true
              Command: "while [ ! -s )" + pid_file + R"( ]; do sleep 0.01; done; echo '{\"Error\":\"BranchError\",\"Cause\":\"b1\"}'; exit 1"
            End: true
)");
  auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "BranchError");
  CHECK(run.cause() == "b1");
  CHECK(elapsed < std::chrono::seconds(20));
  pid_t sleeper = std::stoi(dir.read("sleeper.pid"));
  CHECK_FALSE(process_exists(sleeper));
  Types types = run.event_types();
  REQUIRE(types.size() >= 3);
  CHECK(Types(types.end() - 2, types.end()) == Types{"ParallelStateFailed", "ExecutionFailed"});
  // The sleeper is aborted; the failer, whose failure ends its branch, is recorded as aborted
  // after its TaskFailed (transition_history_test.cpp).
  CHECK(std::count(types.begin(), types.end(), "TaskStateAborted") == 2);
  CHECK(std::count(types.begin(), types.end(), "ParallelStateExited") == 0);
}

TEST_CASE("Parallel: a caught branch failure reaches the catcher unchanged", "[runtime][parallel]") {
  auto run = run_machine(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    Branches:
      - {StartAt: Ok, States: {Ok: {Type: Pass, End: true}}}
      - {StartAt: Bad, States: {Bad: {Type: Fail, Error: Oops, Cause: inner}}}
    Catch: [{ErrorEquals: [Oops], ResultPath: $.err, Next: Done}]
    End: true
  Done: {Type: Succeed}
)",
                         R"({"x":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"x":1,"err":{"Error":"Oops","Cause":"inner"}})");
}

TEST_CASE("Parallel: history brackets the branches' events with Started and Succeeded",
          "[runtime][parallel]") {
  auto run = run_machine(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    End: true
    Branches:
      - {StartAt: A, States: {A: {Type: Pass, End: true}}}
      - {StartAt: B, States: {B: {Type: Pass, End: true}}}
)");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[{},{}]");
  CHECK(run.event_chain() ==
        Types{"ExecutionStarted(1,0)", "ParallelStateEntered(2,0)", "ParallelStateStarted(3,2)",
              "PassStateEntered(4,3)", "PassStateExited(5,4)", "PassStateEntered(6,3)",
              "PassStateExited(7,6)", "ParallelStateSucceeded(8,7)", "ParallelStateExited(9,8)",
              "ExecutionSucceeded(10,9)"});
}

const char* const kSelectorMap = R"(
StartAt: M
States:
  M:
    Type: Map
    InputPath: $.in
    ItemsPath: $.items
    ItemSelector: {index.$: $$.Map.Item.Index, value.$: $$.Map.Item.Value, shared.$: $.shared}
    ItemProcessor:
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    ResultPath: $.out
    End: true
)";

const char* const kLegacyMap = R"(
StartAt: M
States:
  M:
    Type: Map
    InputPath: $.in
    ItemsPath: $.items
    Parameters: {index.$: $$.Map.Item.Index, value.$: $$.Map.Item.Value, shared.$: $.shared}
    Iterator:
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    ResultPath: $.out
    End: true
)";

TEST_CASE("Map: ItemSelector sees the Map's input as $ and the item as $$.Map.Item",
          "[runtime][map]") {
  std::string machine = GENERATE(as<std::string>{}, kSelectorMap, kLegacyMap);
  auto run = run_machine(machine, R"({"in":{"items":["a",{"b":2}],"shared":true}})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() ==
        R"({"in":{"items":["a",{"b":2}],"shared":true},"out":[)"
        R"({"index":0,"value":"a","shared":true},{"index":1,"value":{"b":2},"shared":true}]})");
}

TEST_CASE("Map: without ItemSelector each iteration gets its item", "[runtime][map]") {
  auto run = run_machine(R"(
StartAt: M
States:
  M:
    Type: Map
    ItemProcessor:
      StartAt: Double
      States: {Double: {Type: Pass, Parameters: {'v.$': 'States.MathAdd($.n, $.n)'}, OutputPath: $.v, End: true}}
    End: true
)",
                         R"([{"n":1},{"n":2},{"n":3}])");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[2,4,6]");
}

TEST_CASE("Map: ItemsPath must name an array", "[runtime][map]") {
  auto run = run_machine(kSelectorMap, R"({"in":{"items":{"a":1}}})");
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'M' (entered at the event id "
                       "#2). Reference path \"$.items\" must point to array.");
  auto missing = run_machine(kSelectorMap, R"({"in":{}})");
  CHECK(missing.error() == "States.Runtime");
  CHECK_THAT(missing.cause(),
             Catch::Matchers::StartsWith("An error occurred while executing the state 'M' "
                                         "(entered at the event id #2). Invalid path '$.items'"));
}

/// A Map whose iterations append their index to `file` after sleeping longer for earlier
/// items; `limit` is a MaxConcurrency or MaxConcurrencyPath line.
std::string appending_map(const std::string& file, const std::string& limit) {
  return R"(
StartAt: M
States:
  M:
    Type: Map
    ItemsPath: $.items
    )" + limit + R"(
    ItemSelector: {index.$: $$.Map.Item.Index, delay.$: $$.Map.Item.Value}
    ItemProcessor:
      StartAt: Append
      States:
        Append:
          Type: Task
          Resource: arn:flowstate:::command
          Parameters:
            Shell: true
            Command.$: "States.Format('sleep {}; echo {} >> )" + file + R"~(', $.delay, $.index)"
          ResultPath: null
          End: true
    End: true
)~";
}

TEST_CASE("Map: MaxConcurrency 1 runs the iterations one after another in item order",
          "[runtime][map]") {
  test::TempDir dir;
  std::string file = (dir / "order").string();
  std::string limit = GENERATE(as<std::string>{}, "MaxConcurrency: 1", "MaxConcurrencyPath: $.limit");
  CAPTURE(limit);
  auto run = run_machine(appending_map(file, limit), R"({"items":[0.3,0.2,0.1,0],"limit":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(dir.read("order") == "0\n1\n2\n3\n");
  CHECK(run.output() == R"([{"index":0,"delay":0.3},{"index":1,"delay":0.2},)"
                        R"({"index":2,"delay":0.1},{"index":3,"delay":0}])");
}

TEST_CASE("Map: a MaxConcurrencyPath that is not a non-negative integer is States.Runtime",
          "[runtime][map]") {
  test::TempDir dir;
  auto run = run_machine(appending_map((dir / "order").string(), "MaxConcurrencyPath: $.limit"),
                         R"({"items":[0],"limit":"two"})");
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'M' (entered at the event id "
                       "#2). The MaxConcurrencyPath field refers to value \"two\" which is not a "
                       "valid integer: $.limit");
  CHECK(dir.read("order").empty());
}

TEST_CASE("Map: a failed iteration fails the Map with the iteration's error", "[runtime][map]") {
  auto run = run_machine(R"(
StartAt: M
States:
  M:
    Type: Map
    MaxConcurrency: 1
    ItemProcessor:
      StartAt: Check
      States:
        Check:
          Type: Choice
          Choices: [{Variable: $, NumericEquals: 1, Next: Bad}]
          Default: Good
        Good: {Type: Succeed}
        Bad: {Type: Fail, Error: Item.Bad, Cause: one is bad}
    End: true
)",
                         "[0,1,2]");
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "Item.Bad");
  CHECK(run.cause() == "one is bad");
  Types types = run.event_types();
  CHECK(std::count(types.begin(), types.end(), "MapIterationStarted") == 2);
  CHECK(std::count(types.begin(), types.end(), "MapIterationSucceeded") == 1);
  CHECK(std::count(types.begin(), types.end(), "MapIterationFailed") == 1);
  CHECK(Types(types.end() - 2, types.end()) == Types{"MapStateFailed", "ExecutionFailed"});
}

TEST_CASE("Map: history records each iteration between MapStateStarted and MapStateSucceeded",
          "[runtime][map]") {
  auto run = run_machine(R"(
StartAt: M
States:
  M:
    Type: Map
    MaxConcurrency: 1
    ItemProcessor: {StartAt: P, States: {P: {Type: Pass, End: true}}}
    End: true
)",
                         "[10,20]");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[10,20]");
  CHECK(run.event_chain() ==
        Types{"ExecutionStarted(1,0)", "MapStateEntered(2,0)", "MapStateStarted(3,2)",
              "MapIterationStarted(4,3)", "PassStateEntered(5,4)", "PassStateExited(6,5)",
              "MapIterationSucceeded(7,6)", "MapIterationStarted(8,6)", "PassStateEntered(9,8)",
              "PassStateExited(10,9)", "MapIterationSucceeded(11,10)", "MapStateSucceeded(12,11)",
              "MapStateExited(13,12)", "ExecutionSucceeded(14,13)"});
  CHECK(data::serialize_json(run.first_event("MapStateStarted")->details) == R"({"length":2})");
  CHECK(data::serialize_json(run.first_event("MapIterationStarted")->details) ==
        R"({"name":"M","index":0})");
}

TEST_CASE("Map: an empty array gives an empty result without iterations", "[runtime][map]") {
  auto run = run_machine(R"(
StartAt: M
States:
  M:
    Type: Map
    ItemProcessor: {StartAt: P, States: {P: {Type: Pass, End: true}}}
    End: true
)",
                         "[]");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == "[]");
  CHECK(run.event_types() == Types{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                   "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"});
}

}  // namespace
}  // namespace flowstate::runtime
