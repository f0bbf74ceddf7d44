// End-to-end tests of the live progress of `flowstate run` (tools/flowstate/live_progress.hpp):
// on a pseudo-terminal, the status redrawn in place; with stderr a pipe, the plain lines.
#include <regex>
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/pseudo_terminal.hpp"
#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::TempDir;

// A task that logs, a Wait, a Task that fails once and is retried, then a Map whose
// iterations take a while.
std::string progress_machine(const TempDir& dir, const std::string& item_seconds) {
  std::string flag = (dir.path() / "failed-once").string();
  return R"(
StartAt: Log
States:
  Log:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: "echo hello from the task >&2", Shell: true}
    ResultPath: null
    Next: Pause
  Pause: {Type: Wait, Seconds: 1, Next: Flaky}
  Flaky:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: "test -f )" + flag + R"( || { touch )" + flag + R"(; exit 3; }", Shell: true}
    Retry: [{ErrorEquals: [States.ALL], IntervalSeconds: 1}]
    ResultPath: null
    Next: Each
  Each:
    Type: Map
    ItemsPath: $.items
    MaxConcurrency: 1
    ItemProcessor:
      StartAt: Work
      States:
        Work:
          Type: Task
          Resource: arn:flowstate:::command
          Parameters: {Command: "sleep )" + item_seconds + R"(", Shell: true}
          End: true
    End: true
)";
}

std::string items_input(int items) {
  std::string list;
  for (int i = 0; i < items; ++i) list += (i ? ", " : "") + std::to_string(i);
  return "{\"items\": [" + list + "]}";
}

TEST_CASE("flowstate run: on a terminal, the status is redrawn in place with the Wait, the retry and "
          "the Map's progress, and task logs appear above it",
          "[cli][progress]") {
  TempDir dir;
  auto file = dir.write("progress.yaml", progress_machine(dir, "0.4")).string();
  test::PseudoTerminal terminal({"run", file, "--input", items_input(4)});
  REQUIRE(terminal.wait_for("hello from the task", std::chrono::seconds(30)));
  CHECK(terminal.wait_for("flowstate: progress running", std::chrono::seconds(10)));
  CHECK(terminal.wait_for("  Pause (Wait) 0.", std::chrono::seconds(10)));
  CHECK(terminal.wait_for(" left", std::chrono::seconds(10)));
  CHECK(terminal.wait_for("  Flaky (Task) retry 1 in 0.", std::chrono::seconds(10)));
  CHECK(terminal.wait_for("  Each (Map) 1/4 done, 0 failed, 1 running", std::chrono::seconds(20)));
  // Redrawn in place: up over the lines drawn last, then cleared to the end of the screen.
  CHECK(terminal.wait_for("\x1b[2A\r\x1b[J", std::chrono::seconds(10)));
  CHECK(terminal.finish() == 0);
  const std::string& screen = terminal.received();
  CHECK(screen.find("[Log] hello from the task\r\n") != std::string::npos);
  // The rate and what is left once a second of the Map has passed.
  CHECK(std::regex_search(screen, std::regex(R"(Each \(Map\) [23]/4 done, 0 failed, 1 running, [0-9.]+/s, ETA [0-9.]+s)")));
  // The status is gone before the output: the last thing on the terminal is the result.
  std::string tail = screen.substr(screen.rfind("\x1b[J"));
  CHECK(tail == "\x1b[J[\r\n  null,\r\n  null,\r\n  null,\r\n  null\r\n]\r\n");
}

TEST_CASE("flowstate run: with stderr not a terminal, a plain line per state entered outside the Map's "
          "iterations, for the Wait and the retry, and a Map summary every few seconds",
          "[cli][progress]") {
  TempDir dir;
  auto file = dir.write("progress.yaml", progress_machine(dir, "1")).string();
  test::CliResult run = test::run_flowstate({"run", file, "--input", items_input(7)});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  std::regex expected(
      R"(flowstate: execution \S+ \(id [0-9a-f]+\) of progress started
flowstate: \+0\.[0-9]s entered Log \(Task\)
\[Log\] hello from the task
flowstate: \+[0-9.]+s entered Pause \(Wait\)
flowstate: \+[0-9.]+s Pause \(Wait\) (1\.0|0\.9)s left
flowstate: \+[0-9.]+s entered Flaky \(Task\)
flowstate: \+[0-9.]+s Flaky \(Task\) retry 1 in (1\.0|0\.9)s
flowstate: \+[0-9.]+s entered Each \(Map\)
(flowstate: \+[0-9.]+s Each \(Map\) [0-9]/7 done, 0 failed, 1 running(, [0-9.]+/s, ETA [0-9.]+s)?
)+)");
  CHECK(std::regex_match(run.err, expected));
  CHECK(run.err.find("Work") == std::string::npos);

  SECTION("-q and --progress none show none of it") {
    test::CliResult quiet = test::run_flowstate({"run", file, "--input", items_input(1), "-q"});
    CHECK(quiet.err.empty());
    test::CliResult none = test::run_flowstate({"run", file, "--input", items_input(1), "--progress", "none"});
    CHECK(std::regex_match(none.err, std::regex("flowstate: execution \\S+ \\(id [0-9a-f]+\\) of progress started\n"
                                                "\\[Log\\] hello from the task\n")));
  }
}

TEST_CASE("flowstate run: --progress plain on a terminal writes plain lines, and --progress is checked",
          "[cli][progress]") {
  TempDir dir;
  auto file = dir.write("pass.yaml", "StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n").string();
  test::PseudoTerminal terminal({"run", file, "--progress", "plain"});
  CHECK(terminal.finish() == 0);
  CHECK(std::regex_search(terminal.received(), std::regex(R"(^flowstate: execution \S+ \(id [0-9a-f]+\) of pass started\r\n)"
                                                                  R"(flowstate: \+0\.[0-9]s entered P \(Pass\)\r\n\{\}\r\n$)")));
  test::CliResult bad = test::run_flowstate({"run", file, "--progress", "fancy"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Matchers::Contains("--progress: fancy not in {auto,tty,plain,none}"));
}

}  // namespace
}  // namespace flowstate::cli
