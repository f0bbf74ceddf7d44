// End-to-end: a Distributed Map whose process is killed with SIGKILL resumes with only the
// children that had not finished (a ledger file written by each command proves it), and a
// tolerated failure recorded before the kill stays a failure. The real binary on a real
// store, with real command tasks (step.sh).
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/step_script.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
using test::ledger_of;
using test::run_flowstate;
using test::TempDir;

// A Distributed Map over four items, one child at a time, each a command task "itemN".
std::string fan(const fs::path& dir) {
  return fmt::format(R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemsPath: $.items
    MaxConcurrency: 1
    ToleratedFailureCount: 1
    ItemProcessor:
      ProcessorConfig: {{Mode: DISTRIBUTED, ExecutionType: STANDARD}}
      StartAt: Work
      States:
        Work: {{Type: Task, Resource: "arn:flowstate:::command", Parameters: {}, End: true}}
    End: true
)",
                     test::step_parameters(dir, "item", R"x(NAME.$: "States.Format('item{}', $.n)")x"));
}

std::vector<std::string> event_types(const std::string& store, const std::string& name) {
  auto history = run_flowstate({"history", name, "--store", store, "--format", "json"});
  REQUIRE(history.exit_code == 0);
  auto events = data::parse_json(history.out);
  REQUIRE(events.has_value());
  std::vector<std::string> types;
  for (const auto& event : events->at("events").as_array()) types.emplace_back(event.at("type").as_string());
  return types;
}

TEST_CASE("flowstate resume: a Distributed Map killed with SIGKILL runs again only the child "
          "that had not finished",
          "[cli][resume][distributed]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  test::write_step_script(dir.path());
  auto file = dir.write("fan.yaml", fan(dir.path())).string();
  test::put_file(dir.path(), "fail-item1");   // tolerated (ToleratedFailureCount: 1)
  test::put_file(dir.path(), "block-item3");  // the last child waits until the kill
  test::FlowstateProcess process({"run", file, "--store", store, "--name", "fan-crash", "--input",
                                  R"({"items":[{"n":0},{"n":1},{"n":2},{"n":3}]})"});
  REQUIRE(process.wait_for_stderr("/Work] item3 waits", std::chrono::seconds(30)));
  int task = std::stoi(dir.read("pid-item3"));
  process.signal(SIGKILL);
  CHECK(process.finish().exit_code == 128 + SIGKILL);
  ::kill(-task, SIGKILL);
  ::kill(task, SIGKILL);
  test::remove_file(dir.path(), "block-item3");

  auto resumed = run_flowstate({"resume", "fan-crash", "--store", store, "-q"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  auto output = data::parse_json(resumed.out);
  REQUIRE(output.has_value());
  CHECK(*output == *data::parse_json(R"(["item0 done",{"Error":"States.TaskFailed","Cause":"item1 is broken"},)"
                                     R"("item2 done","item3 done"])"));
  CHECK(ledger_of(dir.path(), "item0").size() == 1);
  CHECK(ledger_of(dir.path(), "item1").size() == 1);  // its failure was recorded: not run again
  CHECK(ledger_of(dir.path(), "item2").size() == 1);
  CHECK(ledger_of(dir.path(), "item3").size() == 2);  // running at the kill: runs again

  // The children are executions of their own: `list` shows them only by their Map Run.
  auto parent = run_flowstate({"history", "fan-crash", "--store", store, "--format", "json"});
  auto parent_events = data::parse_json(parent.out);
  REQUIRE(parent_events.has_value());
  std::string map_run_arn;
  for (const auto& event : parent_events->at("events").as_array())
    if (event.at("type") == "MapRunStarted")
      map_run_arn = event.at("mapRunStartedEventDetails").at("mapRunArn").as_string();
  REQUIRE(!map_run_arn.empty());
  auto all = run_flowstate({"list", "--store", store, "--format", "json"});
  CHECK(data::parse_json(all.out)->as_array().size() == 1);
  auto listed = run_flowstate({"list", "--store", store, "--format", "json", "--map-run", map_run_arn});
  REQUIRE(listed.exit_code == 0);
  auto children = data::parse_json(listed.out);
  REQUIRE(children.has_value());
  std::multiset<std::string> statuses;
  for (const auto& child : children->as_array()) {
    statuses.insert(std::string(child.at("status").as_string()));
    CHECK(child.at("mapRunArn").as_string() == map_run_arn);
  }
  CHECK(statuses == std::multiset<std::string>{"FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"});
  // A child runs only inside its parent: it is resumed, redriven and stopped through it.
  std::string child(children->as_array().at(0).at("name").as_string());
  for (std::string command : {"resume", "redrive", "stop"}) {
    auto refused = run_flowstate({command, child, "--store", store});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find(fmt::format("flowstate: execution {} is a child execution of the Map Run {}; {} its "
                                       "parent execution ",
                                       child, map_run_arn, command)) == 0);
  }

  CHECK(event_types(store, "fan-crash") == std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                          "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
                                          "MapStateExited", "ExecutionSucceeded"});
}

TEST_CASE("flowstate stop: a stopped Distributed Map records MapRunAborted, redriving it runs the "
          "aborted child and the ones not started, not the finished one",
          "[cli][stop][redrive][distributed]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  test::write_step_script(dir.path());
  auto file = dir.write("fan.yaml", fan(dir.path())).string();
  test::put_file(dir.path(), "block-item1");
  test::FlowstateProcess process({"run", file, "--store", store, "--name", "fan-stop", "--input",
                                  R"({"items":[{"n":0},{"n":1},{"n":2},{"n":3}]})"});
  REQUIRE(process.wait_for_stderr("/Work] item1 waits", std::chrono::seconds(30)));
  auto stopped = run_flowstate({"stop", "fan-stop", "--store", store});
  CHECK(stopped.exit_code == 0);
  CHECK(process.finish().exit_code == 1);
  CHECK(event_types(store, "fan-stop") ==
        std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                 "MapRunAborted", "MapStateAborted", "ExecutionAborted"});

  test::remove_file(dir.path(), "block-item1");
  auto redriven = run_flowstate({"redrive", "fan-stop", "--store", store, "-q"});
  INFO(redriven.err);
  REQUIRE(redriven.exit_code == 0);
  CHECK(*data::parse_json(redriven.out) ==
        *data::parse_json(R"(["item0 done","item1 done","item2 done","item3 done"])"));
  CHECK(ledger_of(dir.path(), "item0").size() == 1);
  CHECK(ledger_of(dir.path(), "item1").size() == 2);
  CHECK(ledger_of(dir.path(), "item2").size() == 1);
  CHECK(ledger_of(dir.path(), "item3").size() == 1);
  auto types = event_types(store, "fan-stop");
  REQUIRE(types.size() > 7);
  CHECK(std::vector<std::string>(types.begin() + 7, types.end()) ==
        std::vector<std::string>{"ExecutionRedriven", "MapRunRedriven", "MapRunSucceeded",
                                 "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"});
}

TEST_CASE("definitions/fan-out.yaml runs as the README says", "[cli][distributed][definitions]") {
  std::string file = std::string(FLOWSTATE_SOURCE_DIR) + "/definitions/fan-out.yaml";
  auto tolerated = run_flowstate({"run", file, "--no-store", "-q", "--input",
                                  R"({"files": ["a.csv", "broken.csv", "c.csv"]})"});
  INFO(tolerated.err);
  CHECK(tolerated.exit_code == 0);
  CHECK(*data::parse_json(tolerated.out) ==
        *data::parse_json(R"({"checked": [{"file": "a.csv", "ok": true}, {"Error": "States.TaskFailed", )"
                          R"("Cause": "broken.csv: bad header"}, {"file": "c.csv", "ok": true}], )"
                          R"("message": "3 files checked"})"));
  auto exceeded = run_flowstate({"run", file, "--no-store", "-q", "--format", "json", "--input",
                                 R"({"files": ["a.csv", "broken.csv", "broken2.csv"]})"});
  CHECK(exceeded.exit_code == 1);
  auto result = data::parse_json(exceeded.out);
  REQUIRE(result.has_value());
  CHECK(result->at("status") == "FAILED");
  CHECK(result->at("error") == "States.ExceedToleratedFailureThreshold");
  CHECK(result->at("cause") == "The specified tolerated failure threshold was exceeded");
}

TEST_CASE("flowstate run: a Distributed Map child's task log lines name the child's state machine",
          "[cli][distributed]") {
  TempDir dir;
  auto file = dir.write("rows.yaml", fmt::format(R"(StartAt: Each
States:
  Each:
    Type: Map
    Label: Rows
    MaxConcurrency: 1
    ItemProcessor:
      ProcessorConfig: {{Mode: DISTRIBUTED, ExecutionType: STANDARD}}
      StartAt: Say
      States:
        Say:
          Type: Task
          Resource: arn:flowstate:::command
          Parameters: {{Command: ["{}", "stderr", "hello"]}}
          End: true
    End: true
)",
                                                 FLOWSTATE_TASK_DOUBLE));
  auto run = run_flowstate({"run", file.string(), "--store", (dir / "store").string(), "--input", "[1, 2]"});
  CHECK(run.exit_code == 0);
  INFO(run.err);
  CHECK(run.err.find("[rows/Rows/Say] hello\n[rows/Rows/Say] hello\n") != std::string::npos);
  CHECK(run.err.find("\n[Say]") == std::string::npos);
}

TEST_CASE("flowstate run: a Distributed Map over inline items validates and runs, one with an "
          "ItemReader is refused, naming the field as not supported yet",
          "[cli][validate][distributed]") {
  TempDir dir;
  auto file = dir.write("reader.yaml", R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemReader:
      Resource: arn:aws:states:::s3:getObject
      Parameters: {Bucket: b, Key: k}
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    End: true
)").string();
  auto refused = run_flowstate({"run", file, "--no-store", "-q"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(file + ":5:5: error: 'ItemReader' (reading items from S3) is not supported "
                                "yet") != std::string::npos);
  auto inline_items = dir.write("inline.yaml", R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    End: true
)").string();
  auto valid = run_flowstate({"validate", inline_items});
  CHECK(valid.exit_code == 0);
  auto ran = run_flowstate({"run", inline_items, "--no-store", "--input", "[1,2]", "-q"});
  CHECK(ran.exit_code == 0);
  CHECK(*data::parse_json(ran.out) == *data::parse_json("[1,2]"));
}

}  // namespace
}  // namespace flowstate::cli
