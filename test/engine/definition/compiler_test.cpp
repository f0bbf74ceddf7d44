// compile_plan on valid definitions: transitions resolved to indices, nested machines compiled,
// query languages resolved, and unsupported features recorded on the Plan.
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/definition/compiler.hpp"
#include "engine/definition/document.hpp"

namespace {

using namespace flowstate::definition;
namespace states = flowstate::states;

struct Result {
  std::optional<Plan> plan;
  std::vector<std::string> diagnostics;
};

Result compile(std::string_view yaml) {
  Diagnostics diagnostics;
  Result result;
  if (auto document = Document::parse(yaml, "machine.yaml", diagnostics))
    result.plan = compile_plan(*document, diagnostics);
  for (const auto& diagnostic : diagnostics.sorted())
    result.diagnostics.push_back(fmt::format("{}", diagnostic));
  return result;
}

std::vector<std::string> unsupported(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& feature : plan.unsupported) out.push_back(fmt::format("{}", feature));
  return out;
}

}  // namespace

TEST_CASE("compile_plan: StartAt, Next, Catch and Choice targets become indices",
          "[definition]") {
  auto result = compile(R"(StartAt: Decide
States:
  Work:
    Type: Task
    Resource: arn:flowstate:::command
    Catch:
      - ErrorEquals: [States.ALL]
        Next: Failed
    Next: Done
  Decide:
    Type: Choice
    Choices:
      - Variable: $.go
        BooleanEquals: true
        Next: Work
    Default: Done
  Done:
    Type: Succeed
  Failed:
    Type: Fail
    Error: Broken
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  const StateMachine& machine = result.plan->machine;
  REQUIRE(machine.states.size() == 4);
  CHECK(machine.start == 1);
  const auto& work = machine.states[0];
  REQUIRE(work.fields.next);
  CHECK(work.fields.next->index == 2);
  REQUIRE(work.fields.catch_policy.catchers.size() == 1);
  CHECK(work.fields.catch_policy.catchers[0].next == 3);
  const auto& choice = std::get<states::ChoiceState>(machine.states[1].body);
  REQUIRE(choice.choices.size() == 1);
  CHECK(choice.choices[0].next.index == 0);
  REQUIRE(choice.default_next);
  CHECK(choice.default_next->index == 2);
  CHECK(result.plan->name == "machine");
  CHECK(result.plan->unsupported.empty());
}

TEST_CASE("compile_plan: Parallel branches and Map processors are compiled as nested machines",
          "[definition]") {
  auto result = compile(R"(StartAt: Fan
States:
  Fan:
    Type: Parallel
    Branches:
      - StartAt: Left
        States:
          Left:
            Type: Pass
            Next: LeftDone
          LeftDone:
            Type: Succeed
      - StartAt: Right
        States:
          Right:
            Type: Succeed
    Next: Each
  Each:
    Type: Map
    ItemsPath: $.items
    MaxConcurrency: 2
    ItemProcessor:
      ProcessorConfig:
        Mode: INLINE
      StartAt: Inner
      States:
        Inner:
          Type: Pass
          End: true
    End: true
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  const auto& parallel = std::get<states::ParallelState>(result.plan->machine.states[0].body);
  REQUIRE(parallel.branches.size() == 2);
  CHECK(parallel.branches[0]->states.size() == 2);
  CHECK(parallel.branches[0]->states[0].fields.next->index == 1);
  CHECK(parallel.branches[1]->states[0].fields.name == "Right");
  const auto& map = std::get<states::MapState>(result.plan->machine.states[1].body);
  REQUIRE(map.processor);
  CHECK(map.processor->states[0].fields.name == "Inner");
  CHECK(map.items_path->text() == "$.items");
  CHECK(map.max_concurrency == 2);
}

TEST_CASE("compile_plan: a JSONata state machine compiles, expressions included",
          "[definition]") {
  auto result = compile(R"(QueryLanguage: JSONata
StartAt: Compute
States:
  Compute:
    Type: Pass
    Assign:
      total: "{% $sum($states.input.values) %}"
    Output: "{% $states.input %}"
    Next: Decide
  Decide:
    Type: Choice
    Choices:
      - Condition: "{% $total > 3 %}"
        Next: Done
    Default: Done
  Done:
    Type: Succeed
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  CHECK(result.plan->machine.states[0].fields.query_language == states::QueryLanguage::jsonata);
  CHECK(unsupported(*result.plan).empty());
  CHECK(result.plan->machine.states[0].fields.assign.jsonata);
  CHECK(result.plan->machine.states[0].fields.output);

  auto tolerant = compile(R"(QueryLanguage: JSONata
StartAt: M
States:
  M:
    Type: Map
    ToleratedFailureCount: "{% $states.input.n %}"
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    End: true
)");
  REQUIRE(tolerant.plan);
  CHECK(unsupported(*tolerant.plan).empty());
  const auto& map = std::get<states::MapState>(tolerant.plan->machine.states[0].body);
  REQUIRE(map.distributed);
  CHECK(map.distributed->tolerated_failure_count_expression);
}

TEST_CASE("compile_plan: a JSONata expression that does not parse, or reads the input at its top "
          "level, is refused at load",
          "[definition]") {
  auto result = compile(R"(QueryLanguage: JSONata
StartAt: P
States:
  P: {Type: Pass, Output: {a: "{% $states.input.( %}", b: "{% phone %}"}, End: true}
)");
  CHECK_FALSE(result.plan);
  REQUIRE(result.diagnostics.size() == 2);
  CHECK_THAT(result.diagnostics[0], Catch::Matchers::StartsWith("machine.yaml:4:31: error: 'Output/a': the "
                                                                "JSONata expression \"$states.input.(\" is not valid: S0"));
  CHECK(result.diagnostics[1] == "machine.yaml:4:59: error: 'Output/b': the JSONata expression \"phone\" "
                                 "reads 'phone' at its top level; JSONata states have no implicit input: use "
                                 "$states.input");
}

TEST_CASE("compile_plan: states in a branch take the machine's query language, not the "
          "Parallel's",
          "[definition]") {
  auto result = compile(R"(StartAt: Fan
States:
  Fan:
    Type: Parallel
    QueryLanguage: JSONata
    Arguments: "{% $states.input %}"
    Branches:
      - StartAt: Inner
        States:
          Inner:
            Type: Pass
            InputPath: $.x
            End: true
    End: true
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  const auto& fan = result.plan->machine.states[0];
  CHECK(fan.fields.query_language == states::QueryLanguage::jsonata);
  const auto& parallel = std::get<states::ParallelState>(fan.body);
  CHECK(parallel.branches[0]->states[0].fields.query_language ==
        states::QueryLanguage::jsonpath);
  CHECK(unsupported(*result.plan).empty());
}

TEST_CASE("compile_plan: a Distributed Map over inline items compiles and runs",
          "[definition]") {
  auto result = compile(R"(StartAt: Each
States:
  Each:
    Type: Map
    Label: Orders
    ToleratedFailurePercentage: 10
    ToleratedFailureCountPath: $.tolerated
    ItemProcessor:
      ProcessorConfig:
        Mode: DISTRIBUTED
        ExecutionType: EXPRESS
      StartAt: Inner
      States:
        Inner:
          Type: Succeed
    End: true
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  CHECK(unsupported(*result.plan).empty());
  const auto& map = std::get<states::MapState>(result.plan->machine.states[0].body);
  REQUIRE(map.distributed);
  CHECK(map.distributed->label == "Orders");
  CHECK(map.distributed->tolerated_failure_percentage == 10.0);
  CHECK(map.distributed->tolerated_failure_count_path->text() == "$.tolerated");
}

TEST_CASE("compile_plan: ItemReader, ItemBatcher and ResultWriter validate and are recorded as "
          "not supported yet, each by name",
          "[definition]") {
  auto result = compile(R"(StartAt: Each
States:
  Each:
    Type: Map
    ItemReader:
      Resource: arn:aws:states:::s3:getObject
      Parameters: {Bucket: b, Key: k}
    ItemBatcher:
      MaxItemsPerBatch: 5
    ResultWriter:
      Resource: arn:aws:states:::s3:putObject
      Parameters: {Bucket: b, Prefix: p}
    ItemProcessor:
      ProcessorConfig:
        Mode: DISTRIBUTED
        ExecutionType: STANDARD
      StartAt: Inner
      States:
        Inner:
          Type: Succeed
    End: true
)");
  REQUIRE(result.diagnostics.empty());
  REQUIRE(result.plan);
  CHECK(unsupported(*result.plan) ==
        std::vector<std::string>{
            "machine.yaml:5:5: error: 'ItemReader' (reading items from S3) is not supported yet; "
            "flowstate's Distributed Maps iterate the items of the state input (ItemsPath)",
            "machine.yaml:8:5: error: 'ItemBatcher' (batching items into child executions) is not "
            "supported yet; flowstate's Distributed Maps iterate the items of the state input "
            "(ItemsPath)",
            "machine.yaml:10:5: error: 'ResultWriter' (writing results to S3) is not supported "
            "yet; flowstate's Distributed Maps iterate the items of the state input (ItemsPath)"});
}

TEST_CASE("compile_plan: one broken state does not hide the problems of the others",
          "[definition]") {
  auto result = compile(R"(StartAt: First
States:
  First:
    Type: Pass
    InputPath: 5
    Next: Second
  Second:
    Type: Pass
    Next: Nowhere
)");
  CHECK_FALSE(result.plan);
  CHECK(result.diagnostics ==
        std::vector<std::string>{
            "machine.yaml:5:16: error: 'InputPath' must be a path string or null, not an integer",
            "machine.yaml:9:11: error: 'Next' of state 'Second' names the state 'Nowhere', which "
            "is not in the same 'States' block"});
}
