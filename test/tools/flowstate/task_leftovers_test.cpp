// End-to-end tests that every process a command task starts is stopped with the task: when
// flowstate is stopped by a signal (SIGTERM, SIGHUP, SIGQUIT), with what left the task's
// process group, and after kill -9 of flowstate, by `flowstate resume` and `flowstate stop`
// (engine/tasks/task_processes.hpp, tools/flowstate/execution_driver.hpp).
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/tasks/task_processes.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::TempDir;

// One Task whose shell starts a background process and waits for it; it logs that
// process's pid as "<label> PID".
std::string background_machine(const std::string& start, const std::string& label) {
  return R"(StartAt: Spawn
States:
  Spawn:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ")" + start + R"( sleep 300 & echo )" + label + R"( $! >&2; wait", Shell: true}
    End: true
)";
}

// The pid logged after the `occurrence`-th "[Spawn] <label> " (0: the first).
pid_t logged_pid(const std::string& err, const std::string& label, int occurrence = 0) {
  std::string marker = "[Spawn] " + label + " ";
  std::size_t at = err.find(marker);
  for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = err.find(marker, at + 1);
  REQUIRE(at != std::string::npos);
  // The log line arrives whole (one write), so its digits are all there.
  return std::stoi(err.substr(at + marker.size()));
}

// Waits until `pid` has stopped (or a few seconds passed); whether it still runs.
bool still_running_after_a_while(pid_t pid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (tasks::process_alive(pid) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return tasks::process_alive(pid);
}

TEST_CASE("flowstate run: SIGHUP and SIGQUIT stop the execution as SIGTERM does: ABORTED, and the "
          "task's processes stopped",
          "[cli][signals]") {
  int signal = GENERATE(SIGTERM, SIGHUP, SIGQUIT);
  INFO("signal " << signal);
  TempDir dir;
  auto file = dir.write("spawn.yaml", background_machine("", "child")).string();
  test::FlowstateProcess process({"run", file, "--format", "aws", "--progress", "none"});
  REQUIRE(process.wait_for_stderr("[Spawn] child ", std::chrono::seconds(30)));
  pid_t child = logged_pid(process.stderr_text(), "child");
  process.signal(signal);
  test::CliResult result = process.finish();
  CHECK(result.exit_code == 1);
  auto described = data::parse_json(result.out);
  REQUIRE(described.has_value());
  CHECK(described->as_object().at("status").as_string() == "ABORTED");
  CHECK_FALSE(still_running_after_a_while(child));
}

TEST_CASE("flowstate run: a process that left the task's process group (setsid) is stopped with the task",
          "[cli][signals]") {
  TempDir dir;
  auto file = dir.write("escape.yaml", background_machine("setsid", "escaped")).string();
  test::FlowstateProcess process({"run", file, "--progress", "none"});
  REQUIRE(process.wait_for_stderr("[Spawn] escaped ", std::chrono::seconds(30)));
  pid_t escaped = logged_pid(process.stderr_text(), "escaped");
  process.signal(SIGTERM);
  CHECK(process.finish().exit_code == 1);
  CHECK_FALSE(still_running_after_a_while(escaped));
}

// Runs the machine as `name`, waits for its background process and kill -9s flowstate; the
// background process outlives it (only the command itself dies with flowstate).
pid_t kill_flowstate_leaving(const TempDir& dir, const std::string& store, const std::string& name) {
  auto file = dir.write("spawn.yaml", background_machine("", "child")).string();
  test::FlowstateProcess process({"run", file, "--store", store, "--name", name, "--progress", "none"});
  REQUIRE(process.wait_for_stderr("[Spawn] child ", std::chrono::seconds(30)));
  pid_t child = logged_pid(process.stderr_text(), "child");
  process.signal(SIGKILL);
  CHECK(process.finish().exit_code == 128 + SIGKILL);
  REQUIRE(tasks::process_alive(child));
  return child;
}

TEST_CASE("flowstate resume: stops what the task left running when flowstate was killed before it runs "
          "the task again",
          "[cli][signals]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  pid_t left = kill_flowstate_leaving(dir, store, "left-behind");
  test::FlowstateProcess resumed({"resume", "left-behind", "--store", store, "--progress", "none"});
  REQUIRE(resumed.wait_for_stderr("[Spawn] child ", std::chrono::seconds(30)));
  CHECK_FALSE(tasks::process_alive(left));  // gone before the task ran again
  pid_t again = logged_pid(resumed.stderr_text(), "child");
  CHECK(again != left);
  resumed.signal(SIGTERM);
  CHECK(resumed.finish().exit_code == 1);
  CHECK_FALSE(still_running_after_a_while(again));
}

TEST_CASE("flowstate stop: of an execution whose process was killed, stops what its task left running",
          "[cli][signals]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  pid_t left = kill_flowstate_leaving(dir, store, "stopped-later");
  test::CliResult stopped = test::run_flowstate({"stop", "stopped-later", "--store", store});
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.out == "execution stopped-later ABORTED (its process had ended)\n");
  CHECK_FALSE(tasks::process_alive(left));
}

}  // namespace
}  // namespace flowstate::cli
