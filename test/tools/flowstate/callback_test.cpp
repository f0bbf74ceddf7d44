// End-to-end tests of callback Tasks (`.waitForTaskToken`): the real binary on a real store,
// a real command task that hands its token on, and `flowstate send-task-*` answering from
// another process — while the run waits, and after the run was killed and resumed.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
using test::FlowstateProcess;
using test::run_flowstate;
using test::TempDir;

// Notify hands its token on (a file, as a message queue would) and the task waits for the
// answer; a Rejected failure is caught.
std::string approval_machine(const TempDir& dir, std::string_view timeouts = "") {
  return fmt::format(R"(StartAt: Notify
States:
  Notify:
    Type: Task
    Resource: arn:flowstate:::command.waitForTaskToken
    Parameters:
      Command: 'cat > "{0}/message.json"; printf %s "$FLOWSTATE_TASK_TOKEN" > "{0}/token.tmp"; mv "{0}/token.tmp" "{0}/token"; echo sent >> "{0}/ledger"; echo notified >&2'
      Shell: true
      Input:
        token.$: $$.Task.Token
        order.$: $.order
    ResultPath: $.approval
    {1}
    Catch: [{{ErrorEquals: [Rejected], ResultPath: $.rejected, Next: Rejected}}]
    End: true
  Rejected: {{Type: Pass, End: true}}
)",
                     dir.path().string(), timeouts);
}

// Waits until the command has written the token.
std::string token_of(const TempDir& dir) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!fs::exists(dir / "token")) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return dir.read("token");
}

std::vector<std::string> event_types(const std::string& execution, const std::string& store) {
  auto history = run_flowstate({"history", execution, "--format", "json", "--store", store});
  INFO(history.err);
  REQUIRE(history.exit_code == 0);
  auto parsed = data::parse_json(history.out);
  INFO(history.out);
  REQUIRE(parsed.has_value());
  std::vector<std::string> types;
  for (const auto& event : parsed->at("events").as_array())
    types.emplace_back(event.at("type").as_string());
  return types;
}

bool has_event(const std::string& execution, const std::string& store, std::string_view type) {
  auto types = event_types(execution, store);
  return std::find(types.begin(), types.end(), type) != types.end();
}

// Waits until the integration has returned (TaskSubmitted is in the store).
void wait_submitted(const std::string& execution, const std::string& store) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!has_event(execution, store, "TaskSubmitted")) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Runs the approval machine as execution `name` and kills it (SIGKILL) once the integration
// has returned and the task waits; returns the task's token.
std::string kill_while_waiting(const TempDir& dir, const std::string& file, const std::string& store,
                               const std::string& name, const std::string& input) {
  FlowstateProcess run({"run", file, "--store", store, "--name", name, "--input", input});
  std::string token = token_of(dir);
  wait_submitted(name, store);
  run.signal(SIGKILL);
  CHECK(run.finish().exit_code == 128 + SIGKILL);
  return token;
}


TEST_CASE("callback: a waiting run wakes when another process sends the task's success", "[cli][callback]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  FlowstateProcess run({"run", file, "--store", store, "--input", R"({"order": 7})"});
  std::string token = token_of(dir);
  CHECK(token.size() == 36);
  // $$.Task.Token is the token the command got in $FLOWSTATE_TASK_TOKEN.
  auto message = data::parse_json(dir.read("message.json"));
  REQUIRE(message.has_value());
  CHECK(*message == *data::parse_json(fmt::format(R"({{"token":"{}","order":7}})", token)));

  auto sent = run_flowstate({"send-task-success", token, "--output", R"({"approved": true})", "--store", store});
  INFO(sent.err);
  CHECK(sent.exit_code == 0);
  CHECK(sent.out.empty());
  auto done = run.finish();
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK(*data::parse_json(done.out) == *data::parse_json(R"({"order":7,"approval":{"approved":true}})"));

  // The token is spent.
  auto again = run_flowstate({"send-task-success", token, "--output", "{}", "--store", store});
  CHECK(again.exit_code == 2);
  CHECK(again.err.starts_with("flowstate: TaskTimedOut: the task of execution "));
}

TEST_CASE("callback: the history records the integration's return and the callback's answer",
          "[cli][callback]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  FlowstateProcess run({"run", file, "--store", store, "--name", "approval-1", "--input", R"({"order": 1})"});
  std::string token = token_of(dir);
  wait_submitted("approval-1", store);
  REQUIRE(run_flowstate({"send-task-success", token, "--output", "42", "--store", store}).exit_code == 0);
  REQUIRE(run.finish().exit_code == 0);
  CHECK(event_types("approval-1", store) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                 "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
}

TEST_CASE("callback: send-task-failure fails the task with its error and cause, which Catch sees",
          "[cli][callback]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  FlowstateProcess run({"run", file, "--store", store, "--input", R"({"order": 2})"});
  std::string token = token_of(dir);
  auto sent = run_flowstate({"send-task-failure", token, "--error", "Rejected", "--cause", "over budget",
                             "--store", store});
  CHECK(sent.exit_code == 0);
  auto done = run.finish();
  CHECK(done.exit_code == 0);
  CHECK(*data::parse_json(done.out) ==
        *data::parse_json(R"({"order":2,"rejected":{"Error":"Rejected","Cause":"over budget"}})"));
}

TEST_CASE("callback: tokens that are not tokens, unknown or spent are refused with AWS's errors",
          "[cli][callback]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  FlowstateProcess run({"run", file, "--store", store, "--input", R"({"order": 3})"});
  std::string token = token_of(dir);

  auto invalid = run_flowstate({"send-task-heartbeat", "not-a-token", "--store", store});
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.err.starts_with("flowstate: InvalidToken: 'not-a-token' is not a task token"));
  auto unknown = run_flowstate({"send-task-success", "B" + std::string(35, 'A'), "--output", "{}", "--store", store});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.starts_with("flowstate: TaskDoesNotExist: no execution in the store"));
  auto bad_output = run_flowstate({"send-task-success", token, "--output", "{oops", "--store", store});
  CHECK(bad_output.exit_code == 2);
  CHECK(bad_output.err.starts_with("flowstate: InvalidOutput: --output:1:2: the output is not valid JSON"));

  REQUIRE(run_flowstate({"send-task-failure", token, "--store", store}).exit_code == 0);
  auto done = run.finish();
  // No error name: the failure has none (AWS allows it), and no catcher matches "Rejected".
  CHECK(done.exit_code == 1);
  CHECK(run_flowstate({"send-task-failure", token, "--store", store}).exit_code == 2);
}

TEST_CASE("callback: a run killed while waiting is resumed still waiting, with the same token",
          "[cli][callback][resume]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  std::string token = kill_while_waiting(dir, file, store, "approval-2", R"({"order": 4})");

  FlowstateProcess resumed({"resume", "approval-2", "--store", store});
  REQUIRE(resumed.wait_for_stderr("resumed", std::chrono::seconds(30)));
  auto sent = run_flowstate({"send-task-success", token, "--output", R"("yes")", "--store", store});
  INFO(sent.err);
  CHECK(sent.exit_code == 0);
  auto done = resumed.finish();
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK(*data::parse_json(done.out) == *data::parse_json(R"({"order":4,"approval":"yes"})"));
  // The integration is not called again: it had returned before the kill.
  CHECK(dir.read("ledger") == "sent\n");
}

TEST_CASE("callback: an answer sent while no process runs the execution is kept for resume",
          "[cli][callback][resume]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  std::string token = kill_while_waiting(dir, file, store, "approval-3", R"({"order": 5})");

  auto sent = run_flowstate({"send-task-failure", token, "--error", "Rejected", "--store", store});
  CHECK(sent.exit_code == 0);
  CHECK(sent.err.find("the answer is kept for 'flowstate resume") != std::string::npos);
  auto resumed = run_flowstate({"resume", "approval-3", "--store", store, "-q"});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK(*data::parse_json(resumed.out) ==
        *data::parse_json(R"({"order":5,"rejected":{"Error":"Rejected","Cause":null}})"));
  CHECK(dir.read("ledger") == "sent\n");
  // The execution ended: its answers are gone from the store directory.
  CHECK(fs::is_empty(fs::path(store) / "task-answers"));
}

TEST_CASE("callback: HeartbeatSeconds without SendTaskHeartbeat times the task out, and heartbeats keep "
          "it alive",
          "[cli][callback]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("approval.yaml", approval_machine(dir, "HeartbeatSeconds: 1\n    TimeoutSeconds: 60")).string();

  SECTION("no heartbeat") {
    auto done = run_flowstate({"run", file, "--store", store, "--name", "silent", "--format", "json",
                               "--input", R"({"order": 6})"});
    CHECK(done.exit_code == 1);
    auto result = data::parse_json(done.out);
    REQUIRE(result.has_value());
    CHECK(result->at("error") == "States.Timeout");
    CHECK(has_event("silent", store, "TaskTimedOut"));
  }
  SECTION("heartbeats, then success") {
    FlowstateProcess run({"run", file, "--store", store, "--input", R"({"order": 6})"});
    std::string token = token_of(dir);
    for (int i = 0; i < 8; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      auto beat = run_flowstate({"send-task-heartbeat", token, "--store", store});
      INFO(beat.err);
      REQUIRE(beat.exit_code == 0);
    }
    REQUIRE(run_flowstate({"send-task-success", token, "--output", "true", "--store", store}).exit_code == 0);
    auto done = run.finish();
    INFO(done.err);
    CHECK(done.exit_code == 0);
  }
}

TEST_CASE("callback: a mocked callback task sees $$.Task.Token and its mock answers as the callback "
          "would",
          "[cli][callback][mocks]") {
  TempDir dir;
  // The first example of issue 11: an SQS message carrying the token.
  auto file = dir.write("w.json", R"({"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
 "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q","MessageBody":{"t.$":"$$.Task.Token"}},"Next":"J"},
 "J":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":true}}})").string();
  auto mocks = dir.write("mocks.json", R"({"StateMachines":{"w":{"TestCases":{"Ok":{"W":"Approved"}}}},
 "MockedResponses":{"Approved":{"0":{"Return":{"approved":true}}}}})").string();
  auto done = run_flowstate({"run", file, "--mock-config", mocks, "--test-case", "Ok"});
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK(*data::parse_json(done.out) == *data::parse_json(R"({"approved":true})"));

  auto jsonata = dir.write("j.yaml", R"(QueryLanguage: JSONata
StartAt: W
States:
  W:
    Type: Task
    Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken
    Arguments: {QueueUrl: q, MessageBody: '{% $states.context.Task.Token %}'}
    Output: '{% $states.result %}'
    End: true
)").string();
  auto jsonata_mocks = dir.write("jmocks.json", R"({"StateMachines":{"j":{"TestCases":{"Ok":{"W":"Approved"}}}},
 "MockedResponses":{"Approved":{"0":{"Return":"ok"}}}})").string();
  auto jsonata_done = run_flowstate({"run", jsonata, "--no-store", "--mock-config", jsonata_mocks, "--test-case", "Ok"});
  INFO(jsonata_done.err);
  CHECK(jsonata_done.exit_code == 0);
  CHECK(jsonata_done.out == "\"ok\"\n");
}

TEST_CASE("callback: without the store nothing can answer, so an unmocked callback task fails",
          "[cli][callback]") {
  TempDir dir;
  auto file = dir.write("approval.yaml", approval_machine(dir)).string();
  auto done = run_flowstate({"run", file, "--no-store", "--format", "json", "--input", R"({"order": 8})"});
  CHECK(done.exit_code == 1);
  auto result = data::parse_json(done.out);
  REQUIRE(result.has_value());
  CHECK(result->at("error") == "States.Runtime");
  CHECK(std::string_view(result->at("cause").as_string()).find("needs the store to receive SendTaskSuccess") !=
        std::string_view::npos);
}

TEST_CASE("callback: an activity task needs the server, unless it is mocked, and then records Activity events",
          "[cli][callback][activity]") {
  TempDir dir;
  auto file = dir.write("resize.yaml", R"(StartAt: Resize
States:
  Resize:
    Type: Task
    Resource: arn:aws:states:us-east-1:123456789012:activity:resize
    Parameters: {token.$: $$.Task.Token}
    End: true
)").string();
  auto refused = run_flowstate({"run", file, "--no-store"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("state 'Resize' is an activity task") != std::string::npos);
  CHECK(refused.err.find("'flowstate server' (GetActivityTask)") != std::string::npos);

  auto mocks = dir.write("mocks.json", R"({"StateMachines":{"resize":{"TestCases":{"Ok":{"Resize":"Done"}}}},
 "MockedResponses":{"Done":{"0":{"Return":{"pixels":4}}}}})").string();
  std::string store = (dir / "store").string();
  auto done = run_flowstate({"run", file, "--store", store, "--name", "r1", "--mock-config", mocks, "--test-case", "Ok"});
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK(*data::parse_json(done.out) == *data::parse_json(R"({"pixels":4})"));
  CHECK(event_types("r1", store) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                             "ActivityScheduled", "ActivityStarted",
                                                             "ActivitySucceeded", "TaskStateExited",
                                                             "ExecutionSucceeded"});
}

}  // namespace
}  // namespace flowstate::cli
