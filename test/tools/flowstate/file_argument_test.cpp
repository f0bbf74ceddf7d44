// The files and texts a command is given (definition FILE, --input, --input-file): a
// directory, an empty --input and a UTF-8 byte order mark each get what a user expects.
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

const char* const kEcho = "StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n";

TEST_CASE("flowstate run: a directory given as the definition or the input file is named as one",
          "[cli][run][files]") {
  TempDir dir;
  std::string folder = (dir / "folder").string();
  std::filesystem::create_directories(folder);
  auto definition = run_flowstate({"run", folder, "--no-store"});
  CHECK(definition.exit_code == 2);
  CHECK(definition.err == folder + ": error: cannot read the file: Is a directory\n");
  CHECK(run_flowstate({"validate", folder}).err == definition.err);

  auto input = run_flowstate({"run", dir.write("echo.yaml", kEcho).string(), "--no-store", "--input-file", folder});
  CHECK(input.exit_code == 2);
  CHECK(input.err == "flowstate: cannot read the input file '" + folder + "': it is a directory; give a file\n");
}

TEST_CASE("flowstate run: an empty --input is refused, as from an unset CI variable", "[cli][run][files]") {
  TempDir dir;
  auto run = run_flowstate({"run", dir.write("echo.yaml", kEcho).string(), "--no-store", "--input", ""});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err.starts_with("--input: the input is empty (an unset variable?); give JSON text, e.g. '{}'\n"));
}

TEST_CASE("flowstate run: an input file that starts with a UTF-8 byte order mark is read", "[cli][run][files]") {
  TempDir dir;
  auto input = dir.write("input.json", "\xEF\xBB\xBF{\"a\": 1}\n").string();
  auto file = dir.write("echo.yaml", kEcho).string();
  auto run = run_flowstate({"run", file, "--no-store", "-q", "--input-file", input, "--format", "json"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find(R"("output":{"a":1})") != std::string::npos);
  auto from_stdin = run_flowstate({"run", file, "--no-store", "-q", "--input-file", "-"}, "\xEF\xBB\xBF[1]");
  CHECK(from_stdin.exit_code == 0);
  CHECK(from_stdin.out == "[\n  1\n]\n");
}

}  // namespace
}  // namespace flowstate::cli
