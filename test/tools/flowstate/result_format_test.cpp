// How `flowstate run` reports an execution in each --format, as a CI script reads it: stdout,
// one line on stderr when it did not succeed (none with -q), and the JSON objects' shape,
// including the one printed when the definition does not load.
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

const char* const kFailing = "StartAt: F\nStates:\n  F: {Type: Fail, Error: Boom, Cause: it broke}\n";
const char* const kPass = "StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n";

TEST_CASE("flowstate run: -q silences the failure line, and the exit code says it failed", "[cli][run][format]") {
  TempDir dir;
  auto file = dir.write("failing.yaml", kFailing).string();
  for (const char* format : {"text", "json", "aws"}) {
    auto quiet = run_flowstate({"run", file, "--no-store", "-q", "--format", format});
    INFO(format);
    CHECK(quiet.exit_code == 1);
    CHECK(quiet.err.empty());
  }
}

TEST_CASE("flowstate run: --format json and aws say on stderr that the execution failed",
          "[cli][run][format]") {
  TempDir dir;
  auto file = dir.write("failing.yaml", kFailing).string();
  for (const char* format : {"text", "json", "aws"}) {
    auto run = run_flowstate({"run", file, "--no-store", "--progress", "none", "--format", format});
    INFO(format);
    CHECK(run.exit_code == 1);
    CHECK(run.err == "flowstate: FAILED: Boom: it broke\n");
  }
}

TEST_CASE("flowstate run: --format json names the execution: id, name and ARN", "[cli][run][format]") {
  TempDir dir;
  auto file = dir.write("failing.yaml", kFailing).string();
  std::string store = (dir / "store").string();
  auto run = run_flowstate({"run", file, "--store", store, "--name", "nightly", "--format", "json", "-q"});
  CHECK(run.exit_code == 1);
  auto listed = run_flowstate({"list", "--store", store, "--format", "json"});
  std::string id = listed.out.substr(listed.out.find(R"("id":")") + 6, 16);
  CHECK(run.out == R"({"id":")" + id + R"(","name":"nightly","executionArn":"arn:aws:states:us-east-1:)"
                   R"(123456789012:execution:failing:nightly","status":"FAILED","error":"Boom","cause":"it broke"})"
                   "\n");

  auto in_memory = run_flowstate({"run", dir.write("pass.yaml", kPass).string(), "--no-store", "--name",
                                  "once", "--format", "json"});
  CHECK(in_memory.exit_code == 0);
  // In memory too (the id then names nothing that outlives the run).
  CHECK(in_memory.out.find(R"("name":"once","executionArn":"arn:aws:states:us-east-1:123456789012:)"
                           R"(execution:pass:once","status":"SUCCEEDED","output":{}})") != std::string::npos);
}

TEST_CASE("flowstate run: with --format json a definition that does not load prints an "
          "InvalidDefinition object on stdout",
          "[cli][run][format]") {
  TempDir dir;
  auto file = dir.write("bad.yaml", "StartAt: P\nStates:\n  P: {Type: Pas, End: true}\n").string();
  auto run = run_flowstate({"run", file, "--format", "json"});
  CHECK(run.exit_code == 2);
  std::string diagnostic = R"(unknown state type \"Pas\"; did you mean \"Pass\"?)";
  CHECK(run.out == R"({"error":"InvalidDefinition","diagnostics":[{"file":")" + file +
                       R"(","line":3,"column":13,"message":")" + diagnostic + R"("}]})" "\n");
  CHECK(run.err == file + ":3:13: error: unknown state type \"Pas\"; did you mean \"Pass\"?\n");
  // In text format stdout stays empty.
  CHECK(run_flowstate({"run", file}).out.empty());
}

}  // namespace
}  // namespace flowstate::cli
