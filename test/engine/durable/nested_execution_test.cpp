// Redrive across nested .sync executions: redriving the parent reruns its failed Task, which
// starts a fresh child execution (the child is the rerun unit, DESIGN.md "The three layers").
#include "engine/durable/nested_execution.hpp"

#include <string>
#include <vector>

#include <boost/json/object.hpp>
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

TEST_CASE("Redrive: redriving a parent whose startExecution.sync:2 child failed starts a new child "
          "and leaves the old one FAILED",
          "[durable][redrive][nested]") {
  DurableRun run;
  const auto& dir = run.dir().path();
  run.write_definition("child.yaml", fmt::format(R"(StartAt: Work
States:
  Work:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    ResultPath: $.work
    End: true
)",
                                                 test::step_parameters(dir, "Work")));
  std::string parent = fmt::format(R"(StartAt: Prepare
States:
  Prepare:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {}
    ResultPath: $.prepared
    Next: Job
  Job:
    Type: Task
    Resource: "arn:aws:states:::states:startExecution.sync:2"
    Parameters:
      StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:child"
      Input:
        x.$: $.x
    End: true
)",
                                   test::step_parameters(dir, "Prepare"));
  test::put_file(dir, "fail-Work");
  auto first = run.run("parent.yaml", parent, R"({"x":1})", "job-flow");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  CHECK(first.error == "States.TaskFailed");
  auto children = run.catalog().children(first.id);
  REQUIRE(children.size() == 1);
  ExecutionRecord old_child = children.front();
  CHECK(old_child.status == runtime::ExecutionStatus::failed);
  auto old_history = run.history(old_child.id);

  test::remove_file(dir, "fail-Work");
  auto second = run.redrive("job-flow");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(second.redrive_count == 1);

  children = run.catalog().children(first.id);
  REQUIRE(children.size() == 2);
  const ExecutionRecord& new_child = children[0].id == old_child.id ? children[1] : children[0];
  CHECK(new_child.id != old_child.id);
  CHECK(new_child.name != old_child.name);
  CHECK(new_child.status == runtime::ExecutionStatus::succeeded);
  CHECK(new_child.redrive_count == 0);  // a fresh execution, not a redrive of the old child
  ExecutionRecord old_now = run.find(old_child.id);
  CHECK(old_now.status == runtime::ExecutionStatus::failed);
  CHECK(old_now.redrive_count == 0);
  CHECK(run.history(old_child.id) == old_history);

  // The parent's Prepare is not run again; the child's Work runs in both children.
  CHECK(ledger_of(dir, "Prepare").size() == 1);
  CHECK(ledger_of(dir, "Work") == std::vector<std::string>{R"(retry=0 redrive=0 input={"x":1})",
                                                           R"(retry=0 redrive=0 input={"x":1})"});

  // startExecution.sync:2's output: DescribeExecution with Input and Output as JSON.
  REQUIRE(second.output->is_object());
  const json::object& output = second.output->get_object();
  std::vector<std::string> keys;
  for (const auto& member : output) keys.emplace_back(member.key());
  CHECK(keys == std::vector<std::string>{"ExecutionArn", "Input", "InputDetails", "Name", "Output",
                                         "OutputDetails", "RedriveCount", "RedriveStatus",
                                         "RedriveStatusReason", "StartDate", "StateMachineArn",
                                         "Status", "StopDate"});
  CHECK(output.at("ExecutionArn").as_string() == new_child.execution_arn());
  CHECK(output.at("ExecutionArn").as_string().starts_with("arn:aws:states:us-east-1:123456789012:execution:child:"));
  CHECK(output.at("Input") == parse_json_text(R"({"x":1})"));
  CHECK(output.at("InputDetails") == parse_json_text(R"({"Included":true})"));
  CHECK(output.at("Name").as_string() == new_child.name);
  CHECK(output.at("Output") == parse_json_text(R"({"x":1,"work":"Work done"})"));
  CHECK(output.at("OutputDetails") == parse_json_text(R"({"Included":true})"));
  CHECK(output.at("RedriveCount") == 0);
  CHECK(output.at("RedriveStatus") == "NOT_REDRIVABLE");
  CHECK(output.at("StartDate").is_int64());
  CHECK(output.at("StateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:child");
  CHECK(output.at("Status") == "SUCCEEDED");
  CHECK(output.at("StopDate").is_int64());
  CHECK(output.at("StopDate").as_int64() >= output.at("StartDate").as_int64());
}

}  // namespace
}  // namespace flowstate::durable
