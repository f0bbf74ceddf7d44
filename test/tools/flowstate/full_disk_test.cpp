// A full disk under a running execution, end to end on a real 32 MB tmpfs: `flowstate run`
// stops with a clear "no space" error and exit 3 (never an abort or a hang), and once space
// is freed `flowstate resume` finishes it, with exactly the events of an uninterrupted run.
// Needs mount(2): skipped with a warning where the test runs without that privilege.
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/run_result_json.hpp"
#include "test/harness/temp_dir.hpp"
#include "test/harness/tmpfs.hpp"

namespace {

using flowstate::test::run_flowstate;

// A counter loop whose every state carries a 150-byte string: 4 events per iteration. The
// store keeps history compressed (~12 bytes per event here), so the loop runs 80,000 times to
// outgrow the ~2 MB left free.
constexpr const char* kLoop = R"yaml(StartAt: Init
States:
  Init: {Type: Pass, Parameters: {i: 0, "n.$": $.n, pad: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, Next: Check}
  Check:
    Type: Choice
    Choices: [{Variable: $.i, NumericLessThanPath: $.n, Next: Inc}]
    Default: Done
  Inc: {Type: Pass, Parameters: {"i.$": "States.MathAdd($.i, 1)", "n.$": $.n, "pad.$": $.pad}, Next: Check}
  Done: {Type: Succeed}
)yaml";

}  // namespace

TEST_CASE("flowstate run: a full disk stops the run with exit 3, and resume finishes it once "
          "space is freed",
          "[cli][store][full-disk]") {
  flowstate::test::TempDir dir;
  flowstate::test::Tmpfs disk(dir.path() / "disk", "size=32m");
  if (!disk.mounted()) {
    WARN("skipped: cannot mount a tmpfs here (" << disk.error() << ")");
    return;
  }
  auto definition = dir.write("loop.yaml", kLoop).string();
  auto store = (dir.path() / "disk" / "store").string();
  auto filler = dir.path() / "disk" / "filler";
  {
    std::ofstream out(filler, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (int mb = 0; mb < 30; ++mb) out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }

  auto run = run_flowstate({"run", definition, "--input", R"({"n": 80000})", "--store", store,
                            "--name", "full", "-q"});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Catch::Matchers::Contains("flowstate: no space left on device writing to "
                                                "store " + store));

  std::filesystem::remove(filler);
  auto resumed = run_flowstate({"resume", "full", "--store", store, "-q", "--format", "json"});
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(flowstate::test::without_execution_names(resumed.out),
             Catch::Matchers::StartsWith(R"({"status":"SUCCEEDED","output":{"i":80000,)"));
  // 4 events per iteration, plus ExecutionStarted, Init, the last Check, Done and the end.
  auto history = run_flowstate({"history", "full", "--store", store});
  CHECK(history.exit_code == 0);
  CHECK_THAT(history.out, Catch::Matchers::Contains("320008 320007"));
  CHECK_THAT(history.out, Catch::Matchers::Contains("ExecutionSucceeded"));
  CHECK_THAT(history.out, !Catch::Matchers::Contains("320009"));
}
