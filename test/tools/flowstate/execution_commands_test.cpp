// End-to-end tests of `flowstate resume`, `redrive` and `stop` after the process running an
// execution was killed: the real binary on a real store, with real command tasks (step.sh).
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
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

// A → B → C; B blocks while block-B exists.
std::string pipeline(const fs::path& dir) {
  return fmt::format(R"(StartAt: A
States:
  A: {{Type: Task, Resource: "arn:flowstate:::command", Parameters: {}, ResultPath: $.A, Next: B}}
  B: {{Type: Task, Resource: "arn:flowstate:::command", Parameters: {}, ResultPath: $.B, Next: C}}
  C: {{Type: Task, Resource: "arn:flowstate:::command", Parameters: {}, ResultPath: $.C, End: true}}
)",
                     test::step_parameters(dir, "A"), test::step_parameters(dir, "B"),
                     test::step_parameters(dir, "C"));
}

struct KilledRun {
  std::string id;  ///< the execution's
  pid_t task = 0;  ///< B's command, the leader of its process group
};

// Starts `flowstate run` on the pipeline, waits until B is blocked and kill -9s flowstate.
// Without a name (""), the run does not open RocksDB (its batches are in a journal).
KilledRun kill_while_blocked(const TempDir& dir, const std::string& store, const std::string& name) {
  test::write_step_script(dir.path());
  auto file = dir.write("pipeline.yaml", pipeline(dir.path())).string();
  test::put_file(dir.path(), "block-B");
  std::vector<std::string> arguments{"run", file, "--store", store, "--input", R"({"job":7})"};
  if (!name.empty()) arguments.insert(arguments.end(), {"--name", name});
  test::FlowstateProcess process(arguments);
  REQUIRE(process.wait_for_stderr("[B] B waits", std::chrono::seconds(30)));
  std::string err = process.stderr_text();
  auto id_at = err.find("(id ");
  REQUIRE(id_at != std::string::npos);
  KilledRun killed{err.substr(id_at + 4, err.find(')', id_at) - id_at - 4), std::stoi(dir.read("pid-B"))};
  process.signal(SIGKILL);
  CHECK(process.finish().exit_code == 128 + SIGKILL);
  return killed;
}

// Stops what is left of the task's process group and unblocks B.
void clean_up(const TempDir& dir, const KilledRun& killed) {
  ::kill(-killed.task, SIGKILL);  // the command task runs in a process group of its own
  ::kill(killed.task, SIGKILL);
  test::remove_file(dir.path(), "block-B");
}

// kill_while_blocked, then clean_up. Returns the execution's id.
std::string run_and_kill(const TempDir& dir, const std::string& store, const std::string& name) {
  KilledRun killed = kill_while_blocked(dir, store, name);
  clean_up(dir, killed);
  return killed.id;
}

TEST_CASE("flowstate resume: after kill -9 the Task that was running runs again and completed "
          "states do not",
          "[cli][resume]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  run_and_kill(dir, store, "crash-1");

  auto refused = run_flowstate({"redrive", "crash-1", "--store", store});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "flowstate: execution crash-1 is RUNNING: only FAILED, TIMED_OUT or ABORTED "
                       "executions can be redriven (use 'flowstate resume' for one whose process died)\n");

  auto resumed = run_flowstate({"resume", "crash-1", "--store", store, "-q"});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  auto output = data::parse_json(resumed.out);
  REQUIRE(output.has_value());
  CHECK(*output == *data::parse_json(R"({"job":7,"A":"A done","B":"B done","C":"C done"})"));
  CHECK(ledger_of(dir.path(), "A").size() == 1);
  CHECK(ledger_of(dir.path(), "B") == std::vector<std::string>{R"(retry=0 redrive=0 input={"job":7,"A":"A done"})",
                                                               R"(retry=0 redrive=0 input={"job":7,"A":"A done"})"});
  CHECK(ledger_of(dir.path(), "C").size() == 1);

  auto again = run_flowstate({"resume", "crash-1", "--store", store});
  CHECK(again.exit_code == 2);
  CHECK(again.err == "flowstate: execution crash-1 is SUCCEEDED: only a RUNNING execution whose "
                     "process stopped can be resumed\n");
  auto redrive = run_flowstate({"redrive", "crash-1", "--store", store});
  CHECK(redrive.exit_code == 2);
  CHECK(redrive.err == "flowstate: execution crash-1 is SUCCEEDED: only FAILED, TIMED_OUT or ABORTED "
                       "executions can be redriven\n");
}

TEST_CASE("flowstate run: a command task does not outlive flowstate killed with SIGKILL", "[cli][crash]") {
  TempDir dir;
  KilledRun killed = kill_while_blocked(dir, (dir / "store").string(), "");
  // Gone, or a zombie its new parent has not reaped yet.
  auto gone = [task = killed.task] {
    std::ifstream stat(fmt::format("/proc/{}/stat", task));
    std::string pid, command, state;
    return !(stat >> pid >> command >> state) || state == "Z";
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!gone() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(gone());
  clean_up(dir, killed);  // whatever the command started itself
}

TEST_CASE("flowstate resume: a run killed before it opened RocksDB is read from its journal and "
          "resumed",
          "[cli][resume][journal]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  REQUIRE(run_flowstate({"run", dir.write("first.yaml", "StartAt: P\nStates: {P: {Type: Pass, End: true}}\n").string(),
                         "--store", store, "-q"})
              .exit_code == 0);  // creates the store: later runs journal
  std::string id = run_and_kill(dir, store, "");
  CHECK(fs::exists(fs::path(store) / "journal"));
  CHECK_FALSE(fs::is_empty(fs::path(store) / "journal"));

  auto described = run_flowstate({"describe", id, "--store", store});
  INFO(described.err);
  CHECK(described.exit_code == 0);
  CHECK(described.out.find(R"("status": "RUNNING")") != std::string::npos);

  auto resumed = run_flowstate({"resume", id, "--store", store, "-q"});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
  CHECK(*data::parse_json(resumed.out) == *data::parse_json(R"({"job":7,"A":"A done","B":"B done","C":"C done"})"));
  CHECK(ledger_of(dir.path(), "A").size() == 1);
  CHECK(ledger_of(dir.path(), "B").size() == 2);
  CHECK(ledger_of(dir.path(), "C").size() == 1);
  CHECK(fs::is_empty(fs::path(store) / "journal"));  // moved into RocksDB by the resume
}

TEST_CASE("flowstate stop then redrive: an execution whose process died is ABORTED, and its redrive "
          "reruns only the Task that was running",
          "[cli][redrive]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  run_and_kill(dir, store, "crash-2");

  auto stopped = run_flowstate({"stop", "crash-2", "--store", store});
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.out == "execution crash-2 ABORTED (its process had ended)\n");
  auto resume = run_flowstate({"resume", "crash-2", "--store", store});
  CHECK(resume.exit_code == 2);
  CHECK(resume.err == "flowstate: execution crash-2 is ABORTED: only a RUNNING execution whose process "
                      "stopped can be resumed; use 'flowstate redrive' to run it again\n");

  auto plan = run_flowstate({"redrive", "crash-2", "--store", store, "--dry-run"});
  CHECK(plan.exit_code == 0);
  CHECK(plan.out == "run again: B (Task) with input {\"job\":7,\"A\":\"A done\"}\n"
                    "reused: every state of crash-2 that succeeded before it failed\n"
                    "commands run in: " + fs::current_path().string() + "\n");

  auto redriven = run_flowstate({"redrive", "crash-2", "--store", store, "-q", "--format", "aws"});
  INFO(redriven.err);
  CHECK(redriven.exit_code == 0);
  auto described = data::parse_json(redriven.out);
  REQUIRE(described.has_value());
  CHECK(described->at("status") == "SUCCEEDED");
  CHECK(described->at("redriveCount") == 1);
  CHECK(ledger_of(dir.path(), "A").size() == 1);
  CHECK(ledger_of(dir.path(), "B").size() == 2);
  CHECK(ledger_of(dir.path(), "B").back() == R"(retry=0 redrive=1 input={"job":7,"A":"A done"})");
  CHECK(ledger_of(dir.path(), "C").size() == 1);
}

}  // namespace
}  // namespace flowstate::cli

namespace flowstate::cli {
namespace {

TEST_CASE("flowstate redrive: an execution run with --skip-waits is redriven skipping waits without the flag",
          "[cli][redrive]") {
  test::TempDir dir;
  std::string store = (dir.path() / "store").string();
  // The Task fails while the file `ok` does not exist; its retry would wait 600 s.
  auto file = dir.write("retrying.yaml", fmt::format(R"(StartAt: T
States:
  T:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters: {{Command: [test, -e, "{}"]}}
    Retry: [{{ErrorEquals: [States.ALL], IntervalSeconds: 600, MaxAttempts: 1}}]
    End: true
)",
                                                         (dir.path() / "ok").string()));
  auto failed = test::run_flowstate({"run", file.string(), "--store", store, "--name", "skipping", "-q",
                                     "--skip-waits"});
  REQUIRE(failed.exit_code == 1);
  // Redriven without --skip-waits, the Task fails again and its retry does not sleep 600 s:
  // the execution recorded --skip-waits.
  auto started = std::chrono::steady_clock::now();
  auto redriven = test::run_flowstate({"redrive", "skipping", "--store", store});
  CHECK(redriven.exit_code == 1);
  CHECK(redriven.err.find("States.TaskFailed") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(60));
}

}  // namespace
}  // namespace flowstate::cli
