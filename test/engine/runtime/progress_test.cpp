#include "engine/runtime/progress.hpp"

#include <string>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/run_machine.hpp"

namespace {

using flowstate::data::serialize_json;
using flowstate::runtime::BranchProgress;
using flowstate::runtime::HistoryEvent;
using flowstate::test::MachineOptions;
using flowstate::test::run_machine;

// The snapshot taken at the n-th event of a type (1-based).
struct SnapshotAt {
  SnapshotAt(std::string event_type, int n) : type(std::move(event_type)), nth(n) {}

  std::string type;
  int nth;
  std::string taken;
  int seen = 0;

  MachineOptions options() {
    MachineOptions options;
    options.on_event = [this](const HistoryEvent& event, const BranchProgress& progress) {
      if (event.type == type && ++seen == nth) taken = serialize_json(snapshot(progress));
    };
    return options;
  }
};

}  // namespace

TEST_CASE("Progress: between states, the branch stands before the next state with its input",
          "[runtime][progress]") {
  SnapshotAt at{"PassStateExited", 1};
  auto run = run_machine(R"(
StartAt: First
States:
  First: {Type: Pass, Result: {n: 1}, Next: Second}
  Second: {Type: Pass, End: true}
)",
                         R"({"start": true})", at.options());
  REQUIRE(run.status() == flowstate::runtime::ExecutionStatus::succeeded);
  CHECK(at.taken == R"({"state":"Second","input":{"n":1}})");
}

TEST_CASE("Progress: a Map shows its running iteration and the outputs of finished ones",
          "[runtime][progress]") {
  SnapshotAt at{"PassStateEntered", 2};  // the second iteration entering Work
  auto run = run_machine(R"yaml(
StartAt: Fan
States:
  Fan:
    Type: Map
    MaxConcurrency: 1
    ItemProcessor:
      StartAt: Work
      States:
        Work: {Type: Pass, Parameters: {"doubled.$": "States.MathAdd($.v, $.v)"}, End: true}
    End: true
)yaml",
                         R"([{"v": 1}, {"v": 2}, {"v": 3}])", at.options());
  REQUIRE(run.status() == flowstate::runtime::ExecutionStatus::succeeded);
  CHECK(at.taken == R"({"state":"Fan","input":[{"v":1},{"v":2},{"v":3}],"running":[)"
                    R"({"position":1,"state":"Work","input":{"v":2}}],)"
                    R"("finished":{"0":{"doubled":2}}})");
}

TEST_CASE("Progress: a retried Task shows its retry counters", "[runtime][progress]") {
  SnapshotAt at{"TaskScheduled", 2};  // the first retry
  auto run = run_machine(flowstate::test::with_task_double(R"(
StartAt: Flaky
States:
  Flaky:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", "exit", "1"]}
    Retry: [{ErrorEquals: [States.TaskFailed], MaxAttempts: 2}]
    End: true
)"),
                         R"({"x": 1})", at.options());
  CHECK(run.status() == flowstate::runtime::ExecutionStatus::failed);
  CHECK(at.taken == R"({"state":"Flaky","input":{"x":1},"retries":[1]})");
}
