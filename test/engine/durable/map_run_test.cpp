// Distributed Maps run durably: tolerated failures (ToleratedFailureCount and
// ToleratedFailurePercentage), the Map Run's history events, and redrive of a failed Map Run,
// which runs again only the child executions that failed or were aborted
// (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html). Real command
// tasks (step.sh) prove with their ledger what ran again.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test/harness/durable_run.hpp"
#include "test/harness/json_text.hpp"
#include "test/harness/step_script.hpp"

namespace flowstate::durable {
namespace {

namespace json = boost::json;
using test::DurableRun;
using test::ledger_of;
using test::parse_json_text;
using test::types_from;

constexpr std::string_view kItems = R"({"items":[{"n":0},{"n":1},{"n":2},{"n":3}]})";

// Fan: a Distributed Map over $.items, one child at a time; each child runs First (step
// "firstN") then Work (step "itemN"). `tolerance` adds fields to the Map state.
std::string fan(const DurableRun& run, std::string_view tolerance,
                std::string_view execution_type = "STANDARD") {
  const auto& dir = run.dir().path();
  return fmt::format(R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemsPath: $.items
    MaxConcurrency: 1
    Label: Fan
{}    ItemProcessor:
      ProcessorConfig: {{Mode: DISTRIBUTED, ExecutionType: {}}}
      StartAt: First
      States:
        First:
          Type: Task
          Resource: "arn:flowstate:::command"
          Parameters: {}
          ResultPath: null
          Next: Work
        Work:
          Type: Task
          Resource: "arn:flowstate:::command"
          Parameters: {}
          End: true
    End: true
)",
                     tolerance, execution_type,
                     test::step_parameters(dir, "first", R"x(NAME.$: "States.Format('first{}', $.n)")x"),
                     test::step_parameters(dir, "item", R"x(NAME.$: "States.Format('item{}', $.n)")x"));
}

json::value error_output(int n) {
  return json::value{{"Error", "States.TaskFailed"}, {"Cause", fmt::format("item{} is broken", n)}};
}

const json::value* event_of(const std::vector<json::value>& events, std::string_view type) {
  for (const auto& event : events)
    if (event.at("type").as_string() == type) return &event;
  return nullptr;
}

// The Map Run's child executions, by item: their records, found through the parent's k/ links.
std::vector<ExecutionRecord> children_of(const DurableRun& run, std::string_view parent) {
  auto children = run.catalog().children(run.find(parent).id);
  std::sort(children.begin(), children.end(), [](const ExecutionRecord& a, const ExecutionRecord& b) {
    return a.input.at("n").to_number<int>() < b.input.at("n").to_number<int>();
  });
  return children;
}

TEST_CASE("Map Run: a failure within ToleratedFailureCount does not stop the other children, "
          "its place in the output holds its error output",
          "[durable][distributed]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item1");
  auto done = run.run("fan.yaml", fan(run, "    ToleratedFailureCount: 1\n"), kItems, "tolerant");
  REQUIRE(done.status == runtime::ExecutionStatus::succeeded);
  CHECK(*done.output == json::value{"item0 done", error_output(1), "item2 done", "item3 done"});
  CHECK(run.event_types("tolerant") ==
        std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                 "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                                 "ExecutionSucceeded"});
  for (int n = 0; n < 4; ++n) CHECK(ledger_of(run.dir().path(), fmt::format("item{}", n)).size() == 1);

  // Each item is a child execution of its own, with AWS's names and its own history.
  std::string map_run_arn(event_of(run.history("tolerant"), "MapRunStarted")
                              ->at("mapRunStartedEventDetails").at("mapRunArn").as_string());
  auto children = children_of(run, "tolerant");
  REQUIRE(children.size() == 4);
  for (const auto& child : children) {
    CHECK(child.map_run == map_run_arn);
    CHECK(child.machine == "fan/Fan");
    CHECK(child.execution_arn() ==
          "arn:aws:states:us-east-1:123456789012:execution:fan/Fan:" + child.name);
  }
  CHECK(children[0].status == runtime::ExecutionStatus::succeeded);
  CHECK(*children[0].output == json::value("item0 done"));
  CHECK(children[1].status == runtime::ExecutionStatus::failed);
  CHECK(children[1].error == "States.TaskFailed");
  CHECK(children[1].cause == "item1 is broken");
  CHECK(run.event_types(children[1].id) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                 "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskFailed", "ExecutionFailed"});
  CHECK(run.history(children[0].id).front().at("executionStartedEventDetails").at("input") == R"({"n":0})");
}

TEST_CASE("Map Run: failures beyond ToleratedFailureCount fail the Map with "
          "States.ExceedToleratedFailureThreshold and start no more children",
          "[durable][distributed]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item1");
  test::put_file(run.dir().path(), "fail-item2");
  auto done = run.run("fan.yaml", fan(run, "    ToleratedFailureCount: 1\n"), kItems, "intolerant");
  REQUIRE(done.status == runtime::ExecutionStatus::failed);
  CHECK(done.error == "States.ExceedToleratedFailureThreshold");
  CHECK(done.cause == "The specified tolerated failure threshold was exceeded");
  auto events = run.history("intolerant");
  CHECK(types_from(events, 0) ==
        std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                 "MapRunFailed", "MapStateFailed", "ExecutionFailed"});
  const json::value* failed = event_of(events, "MapRunFailed");
  REQUIRE(failed);
  CHECK(failed->at("mapRunFailedEventDetails") ==
        parse_json_text(R"({"error":"States.ExceedToleratedFailureThreshold",)"
                        R"("cause":"The specified tolerated failure threshold was exceeded"})"));
  CHECK(ledger_of(run.dir().path(), "item3").empty());
}

TEST_CASE("Map Run: ToleratedFailurePercentage counts failed children over all items",
          "[durable][distributed]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item1");  // 1 of 4: 25 %
  SECTION("25 % tolerated") {
    auto done = run.run("fan.yaml", fan(run, "    ToleratedFailurePercentage: 25\n"), kItems, "p25");
    CHECK(done.status == runtime::ExecutionStatus::succeeded);
  }
  SECTION("24.9 % exceeded") {
    auto done = run.run("fan.yaml", fan(run, "    ToleratedFailurePercentage: 24.9\n"), kItems, "p24");
    CHECK(done.status == runtime::ExecutionStatus::failed);
    CHECK(done.error == "States.ExceedToleratedFailureThreshold");
  }
  SECTION("with both set, exceeding either fails") {
    auto done = run.run("fan.yaml",
                        fan(run, "    ToleratedFailurePercentage: 50\n    ToleratedFailureCount: 0\n"),
                        kItems, "both");
    CHECK(done.status == runtime::ExecutionStatus::failed);
  }
  SECTION("with neither set, no failure is tolerated") {
    auto done = run.run("fan.yaml", fan(run, ""), kItems, "none");
    CHECK(done.status == runtime::ExecutionStatus::failed);
    CHECK(done.error == "States.ExceedToleratedFailureThreshold");
  }
}

TEST_CASE("Map Run: MapRunStarted names the Map Run as AWS does, with the Label",
          "[durable][distributed]") {
  DurableRun run;
  auto done = run.run("fan.yaml", fan(run, ""), R"({"items":[{"n":0}]})", "named");
  REQUIRE(done.status == runtime::ExecutionStatus::succeeded);
  auto events = run.history("named");
  const json::value* started = event_of(events, "MapRunStarted");
  REQUIRE(started);
  std::string arn(started->at("mapRunStartedEventDetails").at("mapRunArn").as_string());
  // arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:UUID
  const std::string prefix = "arn:aws:states:us-east-1:123456789012:mapRun:fan/Fan:";
  REQUIRE(arn.starts_with(prefix));
  CHECK(arn.size() == prefix.size() + 36);
  CHECK(event_of(events, "MapStateStarted")->at("mapStateStartedEventDetails") ==
        parse_json_text(R"({"length":1})"));
}

TEST_CASE("Map Run: JSONata Items and ItemSelector build each child's input, with "
          "$states.context.Map.Item",
          "[durable][distributed][jsonata]") {
  DurableRun run;
  auto done = run.run("scale.yaml", R"(QueryLanguage: JSONata
StartAt: Fan
States:
  Fan:
    Type: Map
    Items: "{% $states.input.values %}"
    ItemSelector:
      value: "{% $states.context.Map.Item.Value %}"
      index: "{% $states.context.Map.Item.Index %}"
      factor: "{% $states.input.factor %}"
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: Scale
      States:
        Scale: {Type: Pass, Output: "{% $states.input.value * $states.input.factor + $states.input.index %}", End: true}
    End: true
)",
                      R"({"values":[1,2,3],"factor":10})", "scaled");
  REQUIRE(done.status == runtime::ExecutionStatus::succeeded);
  CHECK(*done.output == parse_json_text("[10,21,32]"));
}

TEST_CASE("Map Run: a redrive runs again only the children that failed or were aborted, each "
          "from the state where it stopped",
          "[durable][distributed][redrive]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item1");
  test::put_file(run.dir().path(), "fail-item2");
  auto first = run.run("fan.yaml", fan(run, "    ToleratedFailureCount: 1\n"), kItems, "fan-1");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  auto before = run.history("fan-1");
  std::string map_run_arn(
      event_of(before, "MapRunStarted")->at("mapRunStartedEventDetails").at("mapRunArn").as_string());

  CHECK(run.redrive_plan("fan-1") ==
        std::vector<std::string>{
            "continue: Fan (Map): 1 finished reused, 2 running again, the rest not started yet",
            R"(run again: Fan[1] > Work (Task) with input {"n":1})",
            R"(run again: Fan[2] > Work (Task) with input {"n":2})"});

  test::remove_file(run.dir().path(), "fail-item1");
  test::remove_file(run.dir().path(), "fail-item2");
  auto second = run.redrive("fan-1");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(*second.output == json::value{"item0 done", "item1 done", "item2 done", "item3 done"});

  // item0 succeeded: not again. item1 and item2 failed in Work: only Work runs again (their
  // First had succeeded). item3 never started: it runs once, in the redrive.
  const auto& dir = run.dir().path();
  CHECK(ledger_of(dir, "item0").size() == 1);
  CHECK(ledger_of(dir, "first1").size() == 1);
  CHECK(ledger_of(dir, "item1").size() == 2);
  CHECK(ledger_of(dir, "first2").size() == 1);
  CHECK(ledger_of(dir, "item2").size() == 2);
  CHECK(ledger_of(dir, "first3").size() == 1);
  CHECK(ledger_of(dir, "item3").size() == 1);
  // The children are redriven (RedriveCount 1), not started again.
  CHECK(ledger_of(dir, "item1").back().starts_with("retry=0 redrive=1 "));

  auto after = run.history("fan-1");
  CHECK(types_from(after, before.size()) ==
        std::vector<std::string>{"ExecutionRedriven", "MapRunRedriven", "MapRunSucceeded",
                                 "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"});
  CHECK(after[before.size() + 1].at("mapRunRedrivenEventDetails") ==
        json::value{{"mapRunArn", map_run_arn}, {"redriveCount", 1}});

  // The failed children were redriven: the same executions, their histories appended to.
  auto children = children_of(run, "fan-1");
  REQUIRE(children.size() == 4);
  CHECK(children[0].redrive_count == 0);
  CHECK(children[1].redrive_count == 1);
  CHECK(children[1].status == runtime::ExecutionStatus::succeeded);
  CHECK(children[3].redrive_count == 0);  // first started in the redrive
  CHECK(run.event_types(children[1].id) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                 "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskFailed", "ExecutionFailed", "ExecutionRedriven",
                                 "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                                 "TaskStateExited", "ExecutionSucceeded"});
  auto child_history = run.history(children[1].id);
  for (std::size_t i = 0; i < child_history.size(); ++i)
    CHECK(child_history[i].at("id").to_number<std::int64_t>() == std::int64_t(i + 1));
  // Only the parent is resumed or redriven.
  CHECK_THROWS_WITH(run.redrive(children[1].id),
                    fmt::format("execution {} is a child execution of the Map Run {}; redrive its "
                                "parent execution {} instead",
                                children[1].name, map_run_arn, run.find("fan-1").id));
}

TEST_CASE("Map Run: a redrive starts a failed EXPRESS child again from its first state",
          "[durable][distributed][redrive]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item1");
  auto first = run.run("fan.yaml", fan(run, "", "EXPRESS"), kItems, "express");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  test::remove_file(run.dir().path(), "fail-item1");
  auto second = run.redrive("express");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(*second.output == json::value{"item0 done", "item1 done", "item2 done", "item3 done"});
  // AWS cannot redrive an Express child: it starts again from the beginning.
  const auto& dir = run.dir().path();
  CHECK(ledger_of(dir, "first0").size() == 1);
  CHECK(ledger_of(dir, "first1").size() == 2);
  CHECK(ledger_of(dir, "item1").size() == 2);
  CHECK(ledger_of(dir, "first2").size() == 1);
  auto children = children_of(run, "express");
  REQUIRE(children.size() == 4);
  CHECK(children[1].redrive_count == 0);
  CHECK(run.event_types(children[1].id) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                 "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
}

TEST_CASE("Map Run: Retry on the Map starts a new Map Run with every child again",
          "[durable][distributed][retry]") {
  DurableRun run;
  test::put_file(run.dir().path(), "failures-item1", "1");  // fails once, then succeeds
  std::string definition = fan(run, "    Retry: [{ErrorEquals: [States.ALL], MaxAttempts: 1}]\n");
  auto done = run.run("fan.yaml", definition, kItems, "retried");
  REQUIRE(done.status == runtime::ExecutionStatus::succeeded);
  auto events = run.history("retried");
  CHECK(types_from(events, 0) ==
        std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                 "MapRunFailed", "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                                 "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"});
  std::vector<std::string> arns;
  for (const auto& event : events)
    if (event.at("type") == "MapRunStarted")
      arns.emplace_back(event.at("mapRunStartedEventDetails").at("mapRunArn").as_string());
  REQUIRE(arns.size() == 2);
  CHECK(arns[0] != arns[1]);
  // AWS: "retrying the Map starts a new Map Run for all children".
  CHECK(ledger_of(run.dir().path(), "item0").size() == 2);
  CHECK(ledger_of(run.dir().path(), "item1").size() == 2);
  CHECK(ledger_of(run.dir().path(), "item2").size() == 1);
}

TEST_CASE("Map Run: a Catch on the Map takes States.ExceedToleratedFailureThreshold",
          "[durable][distributed]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-item0");
  std::string definition = fan(run, "");
  definition.replace(definition.rfind("    End: true\n"), 14,
                     "    Catch: [{ErrorEquals: [States.ExceedToleratedFailureThreshold], Next: Caught}]\n"
                     "    End: true\n"
                     "  Caught:\n    Type: Pass\n    End: true\n");
  auto done = run.run("fan.yaml", definition, R"({"items":[{"n":0}]})", "caught");
  REQUIRE(done.status == runtime::ExecutionStatus::succeeded);
  CHECK(done.output->at("Error") == "States.ExceedToleratedFailureThreshold");
  CHECK(types_from(run.history("caught"), 0) ==
        std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                 "MapRunFailed", "MapStateFailed", "MapStateExited", "PassStateEntered",
                                 "PassStateExited", "ExecutionSucceeded"});
}

}  // namespace
}  // namespace flowstate::durable
