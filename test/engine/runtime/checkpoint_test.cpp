#include "engine/runtime/checkpoint.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/run_machine.hpp"

namespace {

using flowstate::data::serialize_json;
using flowstate::runtime::BranchMove;
using flowstate::runtime::BranchProgress;
using flowstate::runtime::ExecutionStatus;
using flowstate::test::MachineOptions;
using flowstate::test::run_machine;

// Every checkpoint the run asked a durable sink to write, as "LABEL:JSON" (LABEL: the
// branch's positions, "" for the top level), and the finished children as "LABEL=OUTPUT".
struct Checkpoints {
  std::vector<std::string> written;

  MachineOptions options() {
    MachineOptions options;
    options.on_move = [this](const BranchProgress& branch, BranchMove move) {
      std::string kind = move == BranchMove::children_started ? "start "
                         : move == BranchMove::children_done  ? "done "
                                                               : "";
      // What a durable sink writes, which must be the object's serialization byte for byte.
      std::string text;
      flowstate::runtime::append_checkpoint_json(text, branch);
      CHECK(text == serialize_json(flowstate::runtime::checkpoint_json(branch)));
      written.push_back(kind + branch_label(branch) + ":" + text);
    };
    options.on_child_finished = [this](const BranchProgress& child, const boost::json::value& output) {
      written.push_back(branch_label(child) + "=" + serialize_json(output));
    };
    return options;
  }
};

std::string dump(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("Checkpoint: between states, the branch stands before the next state with its input",
          "[runtime][checkpoint]") {
  Checkpoints at;
  auto run = run_machine(R"(
StartAt: First
States:
  First: {Type: Pass, Result: {n: 1}, Next: Second}
  Second: {Type: Pass, End: true}
)",
                         R"({"start": true})", at.options());
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  // ExecutionStarted (1), PassStateEntered (2), PassStateExited (3), ... The last state's
  // exit ends the branch: the execution's end is its checkpoint.
  CHECK(at.written == std::vector<std::string>{
                          R"(:{"state":"First","input":{"start":true},"previous":0})",
                          R"(:{"state":"Second","input":{"n":1},"previous":3})"});
}

TEST_CASE("Checkpoint: a Map checkpoints its start, each iteration and each finished output",
          "[runtime][checkpoint]") {
  Checkpoints at;
  auto run = run_machine(R"yaml(
StartAt: Fan
States:
  Fan:
    Type: Map
    MaxConcurrency: 1
    ItemProcessor:
      StartAt: Work
      States:
        Work: {Type: Pass, Parameters: {"doubled.$": "States.MathAdd($.v, $.v)"}, Next: Done}
        Done: {Type: Pass, End: true}
    Next: After
  After: {Type: Pass, End: true}
)yaml",
                         R"([{"v": 1}, {"v": 2}])", at.options());
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  INFO(dump(at.written));
  REQUIRE(at.written.size() == 7);
  CHECK(at.written[1] == R"(start :{"state":"Fan","input":[{"v":1},{"v":2}],"entered":2,)"
                         R"("enteredTime":1704164645678,"last":3,"started":3})");
  CHECK(at.written[2] == R"(0:{"state":"Done","input":{"doubled":2},"previous":6})");
  CHECK(at.written[3] == R"(0={"doubled":2})");
  CHECK(at.written[5] == R"(1={"doubled":4})");
  CHECK(at.written[6].starts_with(R"(done :{"state":"After","input":[{"doubled":2},{"doubled":4}])"));
}

TEST_CASE("Checkpoint: a Task is checkpointed when it starts, with its retry counters",
          "[runtime][checkpoint]") {
  Checkpoints at;
  auto run = run_machine(flowstate::test::with_task_double(R"(
StartAt: Flaky
States:
  Flaky:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", "exit", "1"]}
    Retry: [{ErrorEquals: [States.TaskFailed], MaxAttempts: 1}]
    End: true
)"),
                         R"({"x": 1})", at.options());
  CHECK(run.status() == ExecutionStatus::failed);
  // started (TaskStarted #4); the failure counted (TaskFailed #5); the retry started (#7).
  REQUIRE(at.written.size() == 4);
  CHECK(at.written[1] == R"(:{"state":"Flaky","input":{"x":1},"entered":2,)"
                         R"("enteredTime":1704164645678,"last":4,"retries":[0]})");
  CHECK(at.written[2] == R"(:{"state":"Flaky","input":{"x":1},"entered":2,)"
                         R"("enteredTime":1704164645678,"last":5,"retries":[1],"retryCount":1})");
  CHECK(at.written[3].ends_with(R"("last":7,"retries":[1],"retryCount":1})"));
}
