// The command line as a whole (main.cpp): a mistyped command is named, and --version says
// which flowstate this is.
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;

TEST_CASE("flowstate: an unknown command is named, with the commands there are", "[cli][main]") {
  auto typo = run_flowstate({"rnu", "job.yaml"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err == "flowstate: unknown command 'rnu'; the commands are run, validate, resume, redrive, "
                    "stop, list, describe, history, logs, send-task-success, send-task-failure, "
                    "send-task-heartbeat, server, test-state, test (flowstate --help describes them)\n");
}

TEST_CASE("flowstate: --version prints the project version, and git describe when built from git",
          "[cli][main]") {
  auto version = run_flowstate({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.err.empty());
  INFO(version.out);
  CHECK(version.out.starts_with("flowstate 0.1.0"));
  CHECK(version.out.ends_with("\n"));
}

}  // namespace
}  // namespace flowstate::cli
