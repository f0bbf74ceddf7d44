// The README's three-layer walkthrough (definitions/three-layers), run as a user runs it: a
// copy of the example folder, the real binary started in that folder, real commands. Job 2
// (Transform) fails on a missing exchange rate; the rate is added; redrive re-runs Transform
// as a new Executor child and then Load, and never runs Extract again.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using test::run_flowstate_in;

json::value parse(const std::string& text) {
  INFO(text);
  auto parsed = data::parse_json(text);
  REQUIRE(parsed.has_value());
  return std::move(*parsed);
}

// How many lines of work/ledger.txt (one per command that ran) start with `prefix`.
long ledger_lines(const fs::path& folder, const std::string& prefix) {
  std::ifstream in(folder / "work" / "ledger.txt");
  long count = 0;
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(prefix)) ++count;
  return count;
}

// The example as shipped: its definitions and data, without any work/ or store of a run.
fs::path copy_example(const test::TempDir& dir) {
  fs::path source = fs::path(FLOWSTATE_SOURCE_DIR) / "definitions" / "three-layers";
  fs::path folder = dir / "three-layers";
  fs::create_directories(folder / "data");
  for (const auto& entry : fs::directory_iterator(source))
    if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), folder / entry.path().filename());
  for (const auto& entry : fs::directory_iterator(source / "data"))
    fs::copy_file(entry.path(), folder / "data" / entry.path().filename());
  return folder;
}

TEST_CASE("three layers: job 2 fails until its cause is fixed, then redrive runs it as a new "
          "Executor child and never runs job 1 again",
          "[cli][redrive][nested]") {
  test::TempDir dir;
  fs::path folder = copy_example(dir);
  std::string here = folder.string();

  // run → job 2 (Transform) fails with its work machine's error inside the Executor's.
  auto run = run_flowstate_in(here, {"run", "job-flow.yaml", "--name", "flow", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 1);
  json::object failed = parse(run.out).as_object();
  CHECK(failed.at("status") == "FAILED");
  CHECK(failed.at("error") == "States.TaskFailed");
  json::object executor = parse(std::string(failed.at("cause").as_string())).as_object();
  CHECK(executor.at("Status") == "FAILED");
  CHECK(executor.at("Error") == "MissingRate");
  CHECK(executor.at("Cause") == "order 1004: no EUR rate for CHF in data/rates.csv");
  CHECK(executor.at("Input").at("job") == "transform");
  CHECK(ledger_lines(folder, "executor/extract ") == 1);
  CHECK(ledger_lines(folder, "extract/") == 2);
  CHECK(ledger_lines(folder, "executor/transform ") == 1);
  CHECK(ledger_lines(folder, "load/") == 0);

  // From another folder (the store is FLOWSTATE_STORE's): the dry run names the failed job as
  // the one to run again, and where its commands run (where `run` ran, as recorded), which
  // the redrive below then uses.
  std::string elsewhere = dir.path().string();
  auto dry = run_flowstate_in(elsewhere, {"redrive", "flow", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.starts_with("run again: Transform (Task) with input "));
  CHECK(dry.out.ends_with("\ncommands run in: " + fs::canonical(folder).string() + "\n"));

  // Fix the cause: the rates file gets the missing currency.
  std::ofstream(folder / "data" / "rates.csv", std::ios::app) << "CHF,1.05\n";

  auto redrive = run_flowstate_in(elsewhere, {"redrive", "flow", "--format", "json"});
  INFO(redrive.err);
  REQUIRE(redrive.exit_code == 0);
  json::object succeeded = parse(redrive.out).as_object();
  CHECK(succeeded.at("status") == "SUCCEEDED");
  const json::object& output = succeeded.at("output").as_object();
  CHECK(output.at("load").at("files") == json::array{"work/load/report.csv", "work/load/totals.json"});
  CHECK(output.at("load").at("total_eur") == 639.47);

  // Job 1's commands did not run again; job 2's and job 3's did.
  CHECK(ledger_lines(folder, "executor/extract ") == 1);
  CHECK(ledger_lines(folder, "extract/") == 2);
  CHECK(ledger_lines(folder, "executor/transform ") == 2);
  CHECK(ledger_lines(folder, "executor/load ") == 1);
  CHECK(ledger_lines(folder, "load/") == 2);

  // The store agrees: the job flow's Executor children, oldest first, are extract, the
  // failed transform, the new transform and load; there is one extract execution.
  auto list = run_flowstate_in(here, {"list", "--format", "json"});
  REQUIRE(list.exit_code == 0);
  std::string flow_id;
  std::vector<json::object> executions;
  json::value listed = parse(list.out);
  for (const auto& entry : listed.as_array()) executions.push_back(entry.as_object());
  for (const auto& execution : executions)
    if (execution.at("name").as_string() == "flow") flow_id = std::string(execution.at("id").as_string());
  REQUIRE(!flow_id.empty());
  std::vector<std::string> jobs;
  std::vector<std::string> statuses;
  long extract_runs = 0;
  for (const auto& execution : executions) {
    std::string machine(execution.at("stateMachineArn").as_string());
    if (machine.ends_with(":stateMachine:extract")) ++extract_runs;
    const json::value* parent = execution.if_contains("parent");
    if (!parent || parent->as_string() != flow_id) continue;
    CHECK(machine.ends_with(":stateMachine:executor"));
    auto described = run_flowstate_in(here, {"describe", std::string(execution.at("id").as_string())});
    REQUIRE(described.exit_code == 0);
    json::object description = parse(described.out).as_object();
    json::value input = parse(std::string(description.at("input").as_string()));
    jobs.emplace_back(input.at("job").as_string());
    statuses.emplace_back(execution.at("status").as_string());
  }
  CHECK(jobs == std::vector<std::string>{"extract", "transform", "transform", "load"});
  CHECK(statuses == std::vector<std::string>{"SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED"});
  CHECK(extract_runs == 1);

  // The job flow's history: Extract entered once, then the redrive re-entered Transform.
  auto history = run_flowstate_in(here, {"history", "flow", "--format", "json"});
  REQUIRE(history.exit_code == 0);
  std::vector<std::string> trail;
  json::value events = parse(history.out);
  for (const auto& value : events.at("events").as_array()) {
    const json::object& event = value.as_object();
    std::string type(event.at("type").as_string());
    if (type == "ExecutionRedriven") trail.push_back(type);
    if (const json::value* details = event.if_contains("stateEnteredEventDetails"))
      trail.emplace_back(details->at("name").as_string());
  }
  CHECK(trail == std::vector<std::string>{"Extract", "Transform", "ExecutionRedriven", "Transform", "Load"});
}

}  // namespace
}  // namespace flowstate::cli
