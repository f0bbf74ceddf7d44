// `flowstate list` and `logs` as a CI script uses them: no store yet is no executions, a
// status in any case, and a state name that the execution's definition does not have.
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

TEST_CASE("flowstate list: without a store there are no executions, and it exits 0", "[cli][list]") {
  TempDir dir;
  std::string store = (dir / "none").string();
  auto text = run_flowstate({"list", "--store", store});
  CHECK(text.exit_code == 0);
  CHECK(text.out.empty());
  CHECK(text.err.empty());
  auto json = run_flowstate({"list", "--store", store, "--format", "json"});
  CHECK(json.exit_code == 0);
  CHECK(json.out == "[]\n");
  CHECK_FALSE(std::filesystem::exists(store));
}

TEST_CASE("flowstate list: --status takes a status in any case", "[cli][list]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  REQUIRE(run_flowstate({"run", dir.write("pass.yaml", "StartAt: P\nStates: {P: {Type: Pass, End: true}}\n").string(),
                         "--store", store, "--name", "done", "-q"})
              .exit_code == 0);
  for (const char* status : {"succeeded", "Succeeded", "SUCCEEDED"}) {
    auto listed = run_flowstate({"list", "--store", store, "--status", status});
    INFO(status << ": " << listed.err);
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.find("  done\n") != std::string::npos);
  }
  CHECK(run_flowstate({"list", "--store", store, "--status", "running"}).out.find("done") == std::string::npos);
}

TEST_CASE("flowstate logs --state: a state the execution's definition does not have is refused",
          "[cli][logs]") {
  TempDir dir;
  std::string store = (dir / "store").string();
  auto file = dir.write("say.yaml", test::with_task_double(R"(StartAt: Each
States:
  Each:
    Type: Map
    ItemProcessor:
      StartAt: Say
      States:
        Say: {Type: Task, Resource: "arn:flowstate:::command", Parameters: {Command: ["{td}", "stderr", "hello"]},
              End: true}
    End: true
)"));
  REQUIRE(run_flowstate({"run", file.string(), "--store", store, "--name", "said", "--input", "[1]", "-q"}).exit_code == 0);
  auto inner = run_flowstate({"logs", "said", "--store", store, "--state", "Say"});
  CHECK(inner.exit_code == 0);
  CHECK(inner.out.ends_with(" [Say] hello\n"));
  auto nope = run_flowstate({"logs", "said", "--store", store, "--state", "Nope"});
  CHECK(nope.exit_code == 2);
  CHECK(nope.out.empty());
  CHECK(nope.err == "flowstate: execution said has no state 'Nope': its definition (" + file.string() +
                        ") does not name one\n");
}

}  // namespace
}  // namespace flowstate::cli
