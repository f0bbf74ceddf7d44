// ExecutionObserver (engine/runtime/execution_observer.hpp): what a display following an
// execution is shown, driven through a real Plan and runtime.
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/runtime/execution_observer.hpp"
#include "test/harness/run_machine.hpp"

namespace flowstate::runtime {
namespace {

using std::chrono::duration;

// Writes down what it is shown, as text.
class RecordingObserver final : public ExecutionObserver {
 public:
  void started(const BranchProgress& root) override {
    root_ = &root;
    seen.push_back(root.parent == nullptr ? "started" : "started below the top");
  }
  void entered(const BranchProgress& branch) override {
    const auto& state = branch.machine->states[branch.state];
    bool in_map = branch.parent && branch.parent->machine->states[branch.parent->state].fields.type ==
                                       asl::StateType::map;
    seen.push_back("entered " + state.fields.name + (in_map ? " in a Map iteration" : ""));
  }
  void sleeping(const BranchProgress& branch) override {
    const auto& state = branch.machine->states[branch.state];
    auto seconds = duration<double>(branch.sleeping_until - branch.entered_time).count();
    seen.push_back("sleeping in " + state.fields.name + " retry " + std::to_string(branch.retry_count) +
                   (seconds >= 5.0 ? " for 5s or more" : " for less than 5s"));
  }
  void finished() override {
    seen.push_back(root_ ? "finished" : "finished without a start");
    root_ = nullptr;
  }

  std::vector<std::string> seen;

 private:
  const BranchProgress* root_ = nullptr;
};

TEST_CASE("ExecutionObserver: sees the top-level branch, each state entered with its branch, the "
          "sleeps of a Wait and a retry with their deadline, and the end",
          "[runtime][observer]") {
  RecordingObserver observer;
  test::MachineOptions options;
  options.observer = &observer;
  auto run = test::run_machine(test::with_task_double(R"(
StartAt: P
States:
  P: {Type: Pass, Next: W}
  W: {Type: Wait, Seconds: 5, Next: T}
  T:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", exit, "1"]}
    Retry: [{ErrorEquals: [States.ALL], IntervalSeconds: 2, MaxAttempts: 1}]
    Catch: [{ErrorEquals: [States.ALL], ResultPath: $.error, Next: M}]
    Next: M
  M:
    Type: Map
    ItemsPath: $.list
    ItemProcessor: {StartAt: I, States: {I: {Type: Pass, End: true}}}
    End: true
)"),
                               R"({"list": [1, 2]})", options);
  CHECK(run.status() == ExecutionStatus::succeeded);
  CHECK(observer.seen == std::vector<std::string>{
                             "started",
                             "entered P",
                             "entered W",
                             "sleeping in W retry 0 for 5s or more",
                             "entered T",
                             "sleeping in T retry 1 for less than 5s",
                             "entered M",
                             "entered I in a Map iteration",
                             "entered I in a Map iteration",
                             "finished",
                         });
}

TEST_CASE("ExecutionObserver: is told the end of an execution that is stopped", "[runtime][observer]") {
  RecordingObserver observer;
  test::MachineOptions options = test::stopping_on_log("waiting");
  options.observer = &observer;
  auto run = test::run_machine(test::with_task_double(R"(
StartAt: T
States:
  T:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", stderr, waiting, sleep, "60000"]}
    End: true
)"),
                               "{}", options);
  CHECK(run.status() == ExecutionStatus::aborted);
  CHECK(observer.seen == std::vector<std::string>{"started", "entered T", "finished"});
}

}  // namespace
}  // namespace flowstate::runtime
