// End-to-end tests of `flowstate validate`: the real binary on real files; every file is
// checked, every diagnostic is one "file:line:col: error: message" line, exit 0 or 2.
#include <algorithm>
#include <regex>
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

const char* const kValid = "StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n";

/// Whether every line of `text` is a diagnostic about `file`.
bool only_diagnostics_for(const std::string& text, const std::string& file) {
  std::regex line(std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                  R"(:\d+:\d+: error: [^\n]+\n)");
  std::string rest = text;
  std::smatch match;
  while (!rest.empty()) {
    if (!std::regex_search(rest, match, line, std::regex_constants::match_continuous)) return false;
    rest = match.suffix();
  }
  return true;
}

TEST_CASE("flowstate validate: valid definitions exit 0 and print nothing", "[cli][validate]") {
  TempDir dir;
  auto yaml = dir.write("a.yaml", kValid).string();
  auto json = dir.write("b.json", R"({"StartAt": "P", "States": {"P": {"Type": "Succeed"}}})").string();
  auto result = run_flowstate({"validate", yaml, json});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("flowstate validate: an invalid definition exits 2 with file:line:col lines",
          "[cli][validate]") {
  TempDir dir;
  auto bad = dir.write("bad.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n")
                 .string();
  auto result = run_flowstate({"validate", bad});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK_FALSE(result.err.empty());
  CHECK(only_diagnostics_for(result.err, bad));
  CHECK_THAT(result.err, Catch::Matchers::StartsWith(bad + ":5:"));
}

TEST_CASE("flowstate validate: every file is checked, good ones silently", "[cli][validate]") {
  TempDir dir;
  auto good = dir.write("good.yaml", kValid).string();
  auto first = dir.write("first.yaml", "StartAt: Missing\nStates:\n  P: {Type: Pass, End: true}\n")
                   .string();
  auto second = dir.write("second.yaml", "StartAt: P\nStates:\n  P: {Type: Bogus, End: true}\n")
                    .string();
  auto result = run_flowstate({"validate", first, good, second});
  CHECK(result.exit_code == 2);
  auto split = result.err.find(second + ":");
  REQUIRE(split != std::string::npos);
  CHECK(only_diagnostics_for(result.err.substr(0, split), first));
  CHECK(only_diagnostics_for(result.err.substr(split), second));
  CHECK(result.err.find(good) == std::string::npos);
}

TEST_CASE("flowstate validate: a YAML syntax error or a missing file exits 2 with one line",
          "[cli][validate]") {
  TempDir dir;
  auto broken = dir.write("broken.yaml", "StartAt: P\nStates: [unclosed\n").string();
  auto result = run_flowstate({"validate", broken});
  CHECK(result.exit_code == 2);
  CHECK(only_diagnostics_for(result.err, broken));

  auto missing = (dir / "missing.yaml").string();
  auto none = run_flowstate({"validate", missing});
  CHECK(none.exit_code == 2);
  CHECK(std::count(none.err.begin(), none.err.end(), '\n') == 1);
  CHECK_THAT(none.err, Catch::Matchers::Contains(missing));
}

TEST_CASE("flowstate validate: YAML anchors and aliases are refused", "[cli][validate]") {
  TempDir dir;
  auto aliased = dir.write("alias.yaml", "StartAt: P\nStates:\n  P: &p {Type: Pass, End: true}\n"
                                         "  Q: *p\n")
                     .string();
  auto result = run_flowstate({"validate", aliased});
  CHECK(result.exit_code == 2);
  CHECK(only_diagnostics_for(result.err, aliased));
}

TEST_CASE("flowstate validate: without a file it is a usage error", "[cli][validate]") {
  CHECK(run_flowstate({"validate"}).exit_code == 2);
}

}  // namespace
}  // namespace flowstate::cli
