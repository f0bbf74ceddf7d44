// ExecutionHost's redrive and resume of Task pipelines, against AWS's documented redrive
// behaviour (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
#include "engine/durable/execution_host.hpp"

#include <algorithm>
#include <string>
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

// A → B → C → Report: each Task adds its result to the state's input; Report reads
// $$.Execution.RedriveCount. `b_extra` adds fields to B (e.g. a Retry).
std::string pipeline(const DurableRun& run, std::string_view b_extra = {}) {
  const auto& dir = run.dir().path();
  return fmt::format(R"(StartAt: A
States:
  A:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    ResultPath: $.A
    Next: B
  B:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    ResultPath: $.B
{}    Next: C
  C:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    ResultPath: $.C
    Next: Report
  Report:
    Type: Pass
    Parameters:
      redriveCount.$: $$.Execution.RedriveCount
      A.$: $.A
      B.$: $.B
      C.$: $.C
    End: true
)",
                     test::step_parameters(dir, "A"), test::step_parameters(dir, "B"), b_extra,
                     test::step_parameters(dir, "C"));
}

// "retry=N redrive=M" of each ledger line.
std::vector<std::string> counters(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) out.push_back(line.substr(0, line.find(" input=")));
  return out;
}

std::vector<std::string> inputs(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) out.push_back(line.substr(line.find(" input=") + 7));
  return out;
}

TEST_CASE("ExecutionHost: redriving a failed Task pipeline reruns the failed Task with the same "
          "input and keeps what succeeded",
          "[durable][redrive]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-B");
  auto first = run.run("pipeline.yaml", pipeline(run), R"({"job":7})", "job-1");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  CHECK(first.error == "States.TaskFailed");
  auto before = run.history("job-1");
  REQUIRE(before.back().at("type") == "ExecutionFailed");

  CHECK(run.redrive_plan("job-1") ==
        std::vector<std::string>{R"(run again: B (Task) with input {"job":7,"A":"A done"})"});

  test::remove_file(run.dir().path(), "fail-B");  // the cause is fixed
  auto second = run.redrive("job-1");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(second.redrive_count == 1);
  CHECK(second.id == first.id);
  CHECK(*second.output == parse_json_text(
                              R"({"redriveCount":1,"A":"A done","B":"B done","C":"C done"})"));
  CHECK(run.find("job-1").status == runtime::ExecutionStatus::succeeded);

  // A is not run again; B runs again with the input it had; C runs once, in the redrive.
  CHECK(counters(ledger_of(run.dir().path(), "A")) == std::vector<std::string>{"retry=0 redrive=0"});
  auto b = ledger_of(run.dir().path(), "B");
  CHECK(counters(b) == std::vector<std::string>{"retry=0 redrive=0", "retry=0 redrive=1"});
  CHECK(inputs(b) == std::vector<std::string>{R"({"job":7,"A":"A done"})", R"({"job":7,"A":"A done"})"});
  CHECK(ledger_of(run.dir().path(), "C") ==
        std::vector<std::string>{R"(retry=0 redrive=1 input={"job":7,"A":"A done","B":"B done"})"});

  // The history is appended to: the first run's events stay, ids continue consecutively, and
  // the redrive opens with ExecutionRedriven {redriveCount: 1}.
  auto after = run.history("job-1");
  REQUIRE(after.size() > before.size());
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(after[i] == before[i]);
  for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].at("id").to_number<std::int64_t>() == std::int64_t(i + 1));
  const json::value& redriven = after[before.size()];
  CHECK(redriven.at("type") == "ExecutionRedriven");
  CHECK(redriven.at("executionRedrivenEventDetails") == parse_json_text(R"({"redriveCount":1})"));
  // flowstate enters the failed Task again (a new TaskStateEntered), then schedules it.
  CHECK(types_from(after, before.size()) ==
        std::vector<std::string>{"ExecutionRedriven", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                 "TaskSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled",
                                 "TaskStarted", "TaskSucceeded", "TaskStateExited", "PassStateEntered",
                                 "PassStateExited", "ExecutionSucceeded"});
}

TEST_CASE("ExecutionHost: after a redrive the failed Task's Retry counters and $$.State.RetryCount "
          "start again from 0",
          "[durable][redrive][retry]") {
  DurableRun run;
  // B fails 5 times: all 3 attempts of the first run (MaxAttempts 2), then 2 of the redrive.
  test::put_file(run.dir().path(), "failures-B", "5");
  auto first = run.run("pipeline.yaml",
                       pipeline(run, "    Retry: [{ErrorEquals: [States.ALL], MaxAttempts: 2}]\n"),
                       R"({"job":7})", "retrying");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  CHECK(counters(ledger_of(run.dir().path(), "B")) ==
        std::vector<std::string>{"retry=0 redrive=0", "retry=1 redrive=0", "retry=2 redrive=0"});
  auto before = run.history("retrying");

  auto second = run.redrive("retrying");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  // Had the counters kept their 2 retries, the first failure of the redrive would have ended it.
  auto b = ledger_of(run.dir().path(), "B");
  CHECK(counters(b) == std::vector<std::string>{"retry=0 redrive=0", "retry=1 redrive=0", "retry=2 redrive=0",
                                                "retry=0 redrive=1", "retry=1 redrive=1", "retry=2 redrive=1"});
  for (const auto& input : inputs(b)) CHECK(input == R"({"job":7,"A":"A done"})");
  CHECK(ledger_of(run.dir().path(), "A").size() == 1);
  CHECK(ledger_of(run.dir().path(), "C").size() == 1);
  auto redriven = types_from(run.history("retrying"), before.size());
  CHECK(std::count(redriven.begin(), redriven.end(), "TaskFailed") == 2);
  CHECK(std::count(redriven.begin(), redriven.end(), "TaskStarted") == 4);  // B three times, C once
}

TEST_CASE("ExecutionHost: a redriven Fail state is entered again and fails again, each redrive "
          "counts",
          "[durable][redrive]") {
  DurableRun run;
  std::string definition = fmt::format(R"(StartAt: A
States:
  A:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    Next: Boom
  Boom:
    Type: Fail
    Error: Boom
    Cause: it broke
)",
                                       test::step_parameters(run.dir().path(), "A"));
  auto first = run.run("boom.yaml", definition, "{}", "boom");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  CHECK(run.redrive_plan("boom") == std::vector<std::string>{R"(run again: Boom (Fail) with input "A done")"});
  for (std::int64_t count : {1, 2}) {
    auto again = run.redrive("boom");
    CHECK(again.status == runtime::ExecutionStatus::failed);
    CHECK(again.error == "Boom");
    CHECK(again.cause == "it broke");
    CHECK(again.redrive_count == count);
  }
  CHECK(ledger_of(run.dir().path(), "A").size() == 1);
  auto events = run.history("boom");
  std::vector<std::int64_t> redrive_counts;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].at("id").to_number<std::int64_t>() == std::int64_t(i + 1));
    if (events[i].at("type").as_string() == "ExecutionRedriven")
      redrive_counts.push_back(events[i].at("executionRedrivenEventDetails").at("redriveCount").as_int64());
  }
  CHECK(redrive_counts == std::vector<std::int64_t>{1, 2});
  auto types = run.event_types("boom");
  CHECK(std::count(types.begin(), types.end(), "FailStateEntered") == 3);
  CHECK(std::count(types.begin(), types.end(), "ExecutionFailed") == 3);
}

TEST_CASE("ExecutionHost: redrive --from reruns a state that succeeded with its recorded input, "
          "and the dry run says so",
          "[durable][redrive]") {
  DurableRun run;
  test::put_file(run.dir().path(), "fail-B");
  auto first = run.run("pipeline.yaml", pipeline(run), R"({"job":7})", "from-a");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);

  CHECK(run.redrive_plan("from-a", "A") ==
        std::vector<std::string>{R"(run again: A (Task) with input {"job":7}, and every state after it)"});
  REQUIRE_THROWS_MATCHES(run.redrive_plan("from-a", "Nope"), ExecutionRefused,
                         Catch::Matchers::Message("redrive --from: the state machine pipeline has no "
                                                  "top-level state 'Nope'"));
  REQUIRE_THROWS_MATCHES(run.redrive("from-a", "Report"), ExecutionRefused,
                         Catch::Matchers::Message("redrive --from: execution from-a never entered state "
                                                  "'Report', so there is no input to run it again with"));
  // The refusals changed nothing: the execution is still FAILED and redrivable.
  CHECK(run.find("from-a").status == runtime::ExecutionStatus::failed);
  CHECK(run.find("from-a").redrive_count == 0);

  test::remove_file(run.dir().path(), "fail-B");
  auto second = run.redrive("from-a", "A");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(*second.output == parse_json_text(
                              R"({"redriveCount":1,"A":"A done","B":"B done","C":"C done"})"));
  CHECK(ledger_of(run.dir().path(), "A") ==
        std::vector<std::string>{R"(retry=0 redrive=0 input={"job":7})", R"(retry=0 redrive=1 input={"job":7})"});
  CHECK(ledger_of(run.dir().path(), "B").size() == 2);
  CHECK(ledger_of(run.dir().path(), "C").size() == 1);
  auto events = run.history("from-a");
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].at("id").to_number<std::int64_t>() == std::int64_t(i + 1));
}

TEST_CASE("ExecutionHost: only FAILED, TIMED_OUT or ABORTED executions are redriven and only "
          "RUNNING ones resumed",
          "[durable][redrive][resume]") {
  DurableRun run;
  auto succeeded = run.run("pipeline.yaml", pipeline(run), R"({"job":1})", "ok");
  REQUIRE(succeeded.status == runtime::ExecutionStatus::succeeded);
  test::put_file(run.dir().path(), "fail-B");
  auto failed = run.run("pipeline.yaml", pipeline(run), R"({"job":2})", "broken");
  REQUIRE(failed.status == runtime::ExecutionStatus::failed);
  run.create("pipeline.yaml", pipeline(run), R"({"job":3})", "running");

  const std::string not_redrivable = "only FAILED, TIMED_OUT or ABORTED executions can be redriven";
  REQUIRE_THROWS_MATCHES(run.redrive("ok"), ExecutionRefused,
                         Catch::Matchers::Message("execution ok is SUCCEEDED: " + not_redrivable));
  REQUIRE_THROWS_MATCHES(run.redrive_plan("ok"), ExecutionRefused,
                         Catch::Matchers::Message("execution ok is SUCCEEDED: " + not_redrivable));
  REQUIRE_THROWS_MATCHES(run.redrive("ok", "A"), ExecutionRefused,
                         Catch::Matchers::Message("execution ok is SUCCEEDED: " + not_redrivable));
  REQUIRE_THROWS_MATCHES(run.redrive("running"), ExecutionRefused,
                         Catch::Matchers::Message("execution running is RUNNING: " + not_redrivable +
                                                  " (use 'flowstate resume' for one whose process died)"));
  REQUIRE_THROWS_MATCHES(run.resume("broken"), ExecutionRefused,
                         Catch::Matchers::Message("execution broken is FAILED: only a RUNNING execution "
                                                  "whose process stopped can be resumed; use 'flowstate "
                                                  "redrive' to run it again"));
  REQUIRE_THROWS_MATCHES(run.resume("ok"), ExecutionRefused,
                         Catch::Matchers::Message("execution ok is SUCCEEDED: only a RUNNING execution "
                                                  "whose process stopped can be resumed"));
  // Nothing ran and nothing was recorded.
  CHECK(run.find("ok").redrive_count == 0);
  CHECK(run.find("running").status == runtime::ExecutionStatus::running);
  CHECK(run.history("ok").back().at("type") == "ExecutionSucceeded");
  CHECK(run.history("broken").back().at("type") == "ExecutionFailed");
  CHECK(ledger_of(run.dir().path(), "A").size() == 2);
}

TEST_CASE("ExecutionHost: resuming an execution that died before its first step runs it from the "
          "start",
          "[durable][resume]") {
  DurableRun run;
  run.create("pipeline.yaml", pipeline(run), R"({"job":3})", "unstarted");
  auto resumed = run.resume("unstarted");
  REQUIRE(resumed.status == runtime::ExecutionStatus::succeeded);
  CHECK(*resumed.output == parse_json_text(
                               R"({"redriveCount":0,"A":"A done","B":"B done","C":"C done"})"));
  CHECK(run.event_types("unstarted").front() == "ExecutionStarted");
  CHECK(ledger_of(run.dir().path(), "A").size() == 1);
}

TEST_CASE("ExecutionHost: workflow variables are kept in the checkpoints, so a redrive in a new "
          "host still reads what the first run assigned",
          "[durable][redrive][variables]") {
  DurableRun run;
  const auto& dir = run.dir().path();
  std::string definition = fmt::format(R"(StartAt: Set
States:
  Set: {{Type: Pass, Assign: {{token: abc}}, Next: B}}
  B:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    Assign: {{b.$: $}}
    ResultPath: $.B
    Next: Report
  Report: {{Type: Pass, Parameters: {{token.$: $token, b.$: $b}}, End: true}}
)",
                                       test::step_parameters(dir, "B"));
  test::put_file(dir, "fail-B");
  auto first = run.run("vars.yaml", definition, "{}", "vars-1");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  test::remove_file(dir, "fail-B");
  auto second = run.redrive("vars-1");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(*second.output == parse_json_text(R"({"token":"abc","b":"B done"})"));
  CHECK(ledger_of(dir, "B").size() == 2);
}

TEST_CASE("ExecutionHost: a succeeded execution leaves no checkpoint or finished output behind, nested "
          "branches included, and a failed one keeps them for its redrive",
          "[durable]") {
  DurableRun run;
  auto count = [&](std::string_view prefix, const std::string& id) {
    std::size_t keys = 0;
    run.store().scan(fmt::format("{}/{}/", prefix, id), [&](std::string_view, std::string_view) {
      ++keys;
      return true;
    });
    return keys;
  };
  // Parallel branches holding inline Maps, whose iterations retry: checkpoints at three levels.
  std::string definition = R"(StartAt: Both
States:
  Both:
    Type: Parallel
    Next: Check
    Branches:
      - StartAt: Each
        States:
          Each:
            Type: Map
            ItemsPath: $.items
            ItemProcessor:
              StartAt: Item
              States:
                Item: {Type: Pass, Next: Wait}
                Wait: {Type: Wait, Seconds: 0, End: true}
            End: true
      - StartAt: Other
        States:
          Other: {Type: Pass, End: true}
  Check:
    Type: Choice
    Choices: [{Variable: "$[1].fail", IsPresent: true, Next: Fail}]
    Default: Done
  Done: {Type: Succeed}
  Fail: {Type: Fail, Error: Asked}
)";
  auto succeeded = run.run("nested.yaml", definition, R"({"items": [1, 2, 3, 4, 5]})", "ok");
  REQUIRE(succeeded.status == runtime::ExecutionStatus::succeeded);
  CHECK(count("c", succeeded.id) == 0);
  CHECK(count("f", succeeded.id) == 0);

  auto failed = run.run("nested.yaml", definition, R"({"items": [1, 2], "fail": true})", "failing");
  REQUIRE(failed.status == runtime::ExecutionStatus::failed);
  CHECK(count("c", failed.id) > 0);
}

}  // namespace
}  // namespace flowstate::durable
