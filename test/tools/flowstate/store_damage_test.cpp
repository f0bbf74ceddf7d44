// `flowstate run` on a store whose RocksDB files were damaged since it was last used: the run
// is refused (exit 3) with the store named, instead of succeeding into a journal that no later
// command could move into the store.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/store_files.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
using test::run_flowstate;
using test::TempDir;

TEST_CASE("flowstate run: a store with a damaged RocksDB file is refused with exit 3", "[cli][run][store]") {
  TempDir dir;
  auto file = dir.write("pass.yaml", "StartAt: P\nStates: {P: {Type: Pass, End: true}}\n").string();
  std::string store = (dir / "store").string();
  for (const char* name : {"first", "second"})
    REQUIRE(run_flowstate({"run", file, "--store", store, "--name", name, "-q"}).exit_code == 0);
  auto journals = [&] {
    auto folder = fs::path(store) / "journal";
    return fs::exists(folder) ? std::distance(fs::directory_iterator(folder), fs::directory_iterator()) : 0;
  };
  auto before = journals();

  auto wal = test::store_files(store, ".log").back();
  test::flip_byte(wal, fs::file_size(wal) / 2);
  auto run = run_flowstate({"run", file, "--store", store, "--name", "third"});
  CHECK(run.exit_code == 3);
  CHECK(run.out.empty());
  INFO(run.err);
  CHECK(run.err.starts_with("flowstate: store " + store + " is corrupted: Corruption: "));
  CHECK(run.err.ends_with("; restore it from a backup or move it aside\n"));
  CHECK(journals() == before);  // nothing ran, nothing was written
}

}  // namespace
}  // namespace flowstate::cli
