// Walks test/definitions/invalid: every file is one broken definition whose leading
// "# expect: LINE:COL: error: MESSAGE" comments (or, for JSON, its NAME.json.expect file) list
// exactly the diagnostics compiling it must produce.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/definition/compiler.hpp"
#include "engine/definition/document.hpp"

namespace {

namespace fs = std::filesystem;
using namespace flowstate::definition;

constexpr std::string_view kExpect = "# expect: ";

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The diagnostics a file must produce, each prefixed with the file's path.
std::vector<std::string> expected_diagnostics(const fs::path& path) {
  std::vector<std::string> expected;
  if (path.extension() == ".json") {
    for (const auto& line : read_lines(fs::path(path.string() + ".expect")))
      if (!line.empty()) expected.push_back(fmt::format("{}:{}", path.string(), line));
  } else {
    for (const auto& line : read_lines(path)) {
      if (!line.starts_with(kExpect)) break;
      expected.push_back(fmt::format("{}:{}", path.string(), line.substr(kExpect.size())));
    }
  }
  std::sort(expected.begin(), expected.end());
  return expected;
}

struct Compiled {
  bool has_plan = false;
  std::vector<std::string> diagnostics;
};

Compiled compile_file(const fs::path& path) {
  Diagnostics diagnostics;
  Compiled compiled;
  if (auto document = Document::load_file(path, diagnostics))
    compiled.has_plan = compile_plan(*document, diagnostics).has_value();
  for (const auto& diagnostic : diagnostics.sorted())
    compiled.diagnostics.push_back(fmt::format("{}", diagnostic));
  std::sort(compiled.diagnostics.begin(), compiled.diagnostics.end());
  return compiled;
}

std::vector<fs::path> definitions_in(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    auto extension = entry.path().extension();
    if (extension == ".yaml" || extension == ".yml" || extension == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("compile_plan: every broken definition in test/definitions/invalid produces exactly "
          "its expected diagnostics",
          "[definition]") {
  const fs::path folder = fs::path(FLOWSTATE_SOURCE_DIR) / "test/definitions/invalid";
  const auto files = definitions_in(folder);
  REQUIRE(files.size() >= 40);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      auto expected = expected_diagnostics(file);
      REQUIRE_FALSE(expected.empty());
      auto compiled = compile_file(file);
      CHECK_FALSE(compiled.has_plan);
      CHECK(compiled.diagnostics == expected);
    }
  }
}

TEST_CASE("compile_plan: every definition of the AWS conformance corpus validates",
          "[definition][conformance]") {
  const fs::path cases = fs::path(FLOWSTATE_SOURCE_DIR) / "../shared/conformance/cases";
  if (!fs::exists(cases)) {
    WARN("no conformance corpus at " << cases.string());
    return;
  }
  std::size_t count = 0;
  std::vector<std::string> problems;
  for (const auto& entry : fs::recursive_directory_iterator(cases)) {
    if (entry.path().filename() != "definition.json") continue;
    ++count;
    auto compiled = compile_file(entry.path());
    if (!compiled.has_plan || !compiled.diagnostics.empty())
      problems.insert(problems.end(), compiled.diagnostics.begin(), compiled.diagnostics.end());
  }
  CHECK(count > 0);
  CHECK(problems == std::vector<std::string>{});
}
