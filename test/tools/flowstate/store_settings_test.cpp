// --store and FLOWSTATE_STORE as every store command sees them. The test process has
// FLOWSTATE_STORE set (test/harness/flowstate_binary.hpp), so these also check that the
// variable is only a default.
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

const char* const kPass = "StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n";

TEST_CASE("store options: --store wins over FLOWSTATE_STORE in every store command", "[cli][store]") {
  REQUIRE(std::getenv("FLOWSTATE_STORE") != nullptr);
  TempDir dir;
  auto file = dir.write("pass.yaml", kPass).string();
  std::string store = (dir / "store").string();
  auto run = run_flowstate({"run", file, "--name", "here", "--store", store, "-q"});
  REQUIRE(run.exit_code == 0);
  for (const char* command : {"describe", "history", "logs"}) {
    auto inspected = run_flowstate({command, "here", "--store", store});
    INFO(command << ": " << inspected.err);
    CHECK(inspected.exit_code == 0);
  }
  auto list = run_flowstate({"list", "--store", store});
  CHECK(list.out.find("here") != std::string::npos);
  // A SUCCEEDED execution is refused by resume and redrive, but only once it was found.
  for (const char* command : {"resume", "redrive"}) {
    auto refused = run_flowstate({command, "here", "--store", store, "-q"});
    INFO(command << ": " << refused.err);
    CHECK(refused.err.find("is SUCCEEDED") != std::string::npos);
  }
  // Without --store, the variable's store is used: the execution is not there.
  auto elsewhere = run_flowstate({"describe", "here"});
  CHECK(elsewhere.exit_code != 0);
}

TEST_CASE("store options: a negative --lock-timeout is refused in words", "[cli][store]") {
  TempDir dir;
  auto run = run_flowstate({"run", dir.write("pass.yaml", kPass).string(), "--lock-timeout", "-1"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.starts_with("--lock-timeout: must be a number of seconds, 0 or more, not -1\n"));
  CHECK(run_flowstate({"run", dir.write("pass.yaml", kPass).string(), "--lock-timeout", "0.5", "-q",
                       "--store", (dir / "store").string()})
            .exit_code == 0);
}

}  // namespace
}  // namespace flowstate::cli
