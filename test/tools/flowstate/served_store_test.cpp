// `flowstate run`, `resume` and `redrive` on a store that a `flowstate server` holds: the
// server runs the execution (the CLI's local actions, with the store's key) and the CLI
// follows it in the store. The real binary, a real server on 127.0.0.1, real command tasks.
#include <signal.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "test/harness/api_server.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
using test::ApiServer;
using test::TempDir;

constexpr std::string_view kServedBy = "runs in the server at http://127.0.0.1:";

// Hello (a command: logs its directory, fails while `flag` does not exist there) → Wait → Done.
std::string pipeline(int wait_seconds) {
  return fmt::format(R"(StartAt: Hello
States:
  Hello:
    Type: Task
    Resource: "arn:flowstate:::command"
    Parameters:
      Shell: true
      Command: "echo working in $(pwd) >&2; test -e flag && echo '{{\"ok\": true}}'"
    Next: Pause
  Pause: {{Type: Wait, Seconds: {}, Next: Done}}
  Done: {{Type: Pass, End: true}}
)",
                     wait_seconds);
}

TEST_CASE("served store: run and redrive go through the server holding the store, in the caller's directory",
          "[cli][server]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  ApiServer server(store, {"-q"});
  fs::create_directories(dir.path() / "work");
  std::string file = dir.write("pipeline.yaml", pipeline(600)).string();
  std::string work = (dir.path() / "work").string();

  // Fails: no flag in the run's directory (the server's is elsewhere).
  auto failed = test::run_flowstate_in(work, {"run", file, "--store", store, "--name", "first", "--skip-waits"});
  INFO(failed.err);
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find(kServedBy) != std::string::npos);
  std::string logged = "[Hello] working in " + work + "\n";
  CHECK(failed.err.find(logged) != std::string::npos);
  CHECK(failed.err.find(logged) == failed.err.rfind(logged));  // followed, each line printed once
  CHECK(failed.err.find("FAILED: States.TaskFailed") != std::string::npos);
  // The states it enters, read from the history as the server records them (plain lines).
  constexpr std::string_view kEnteredHello = "s entered Hello (Task)\n";
  CHECK(failed.err.find(kEnteredHello) != std::string::npos);
  CHECK(failed.err.find("entered Pause") == std::string::npos);

  // The redrive runs in the directory the execution recorded, and skips the 600 s wait as
  // the run did.
  dir.write("work/flag", "");
  auto redriven = test::run_flowstate({"redrive", "first", "--store", store});
  INFO(redriven.err);
  CHECK(redriven.exit_code == 0);
  CHECK(redriven.err.find(kServedBy) != std::string::npos);
  CHECK(redriven.err.find(logged) != std::string::npos);
  CHECK(redriven.err.find(logged) == redriven.err.rfind(logged));
  // Only the redrive's states: Hello once (not the first run's), then the others.
  CHECK(redriven.err.find(kEnteredHello) != std::string::npos);
  CHECK(redriven.err.find(kEnteredHello) == redriven.err.rfind(kEnteredHello));
  CHECK(redriven.err.find("s entered Pause (Wait)\n") != std::string::npos);
  CHECK(redriven.err.find("s entered Done (Pass)\n") != std::string::npos);
  auto output = data::parse_json(redriven.out);
  REQUIRE(output.has_value());
  CHECK(*output == boost::json::value(boost::json::object{{"ok", true}}));

  // The store shows what the server ran; the execution's process was the server.
  auto described = test::run_flowstate({"describe", "first", "--store", store});
  CHECK(described.out.find("SUCCEEDED") != std::string::npos);

  // What the server refuses, the CLI reports as the server words it (exit 2).
  auto again = test::run_flowstate_in(work, {"run", file, "--store", store, "--name", "first"});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("ValidationException: an execution named 'first' already exists") != std::string::npos);
  auto resume_finished = test::run_flowstate({"resume", "first", "--store", store});
  CHECK(resume_finished.exit_code == 2);
  CHECK(resume_finished.err.find("execution first is SUCCEEDED") != std::string::npos);
}

TEST_CASE("served store: Ctrl-C stops the execution the server runs, and resume follows one it runs",
          "[cli][server]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  ApiServer server(store, {"-q"});
  dir.write("flag", "");
  std::string file = dir.write("pipeline.yaml", pipeline(600)).string();

  test::FlowstateProcess interrupted({"run", file, "--store", store, "--name", "long"}, "", FLOWSTATE_BINARY,
                                     dir.path().string());
  REQUIRE(interrupted.wait_for_stderr("[Hello] working in", std::chrono::seconds(20)));
  interrupted.signal(SIGINT);
  auto stopped = interrupted.finish();
  INFO(stopped.err);
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.err.find("flowstate: ABORTED") != std::string::npos);

  // A resume of an execution the server runs already follows it to its end.
  std::string short_file = dir.write("short.yaml", pipeline(1)).string();
  test::FlowstateProcess running({"run", short_file, "--store", store, "--name", "short"}, "",
                                 FLOWSTATE_BINARY, dir.path().string());
  REQUIRE(running.wait_for_stderr(kServedBy, std::chrono::seconds(20)));
  auto followed = test::run_flowstate({"resume", "short", "--store", store});
  INFO(followed.err);
  CHECK(followed.exit_code == 0);
  CHECK(running.finish().exit_code == 0);
}

TEST_CASE("served store: a server killed with SIGKILL leaves no server to go through, and run works alone",
          "[cli][server]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  {
    ApiServer server(store, {"-q"});
    server.process().signal(SIGKILL);
    server.process().finish();
  }
  REQUIRE(fs::exists(fs::path(store) / "server.json"));  // left behind by the killed server
  dir.write("flag", "");
  std::string file = dir.write("pipeline.yaml", pipeline(0)).string();
  auto alone = test::run_flowstate_in(dir.path().string(), {"run", file, "--store", store});
  INFO(alone.err);
  CHECK(alone.exit_code == 0);
  CHECK(alone.err.find(kServedBy) == std::string::npos);
}

}  // namespace
}  // namespace flowstate::cli
