// Store::open_in_memory must answer every read as a store on disk does after the same
// writes: the same operations go to both, and each read is compared with RocksDB's.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::writing;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs scan_all(const Store& store, std::string_view prefix, std::string_view from = {}) {
  Pairs found;
  store.scan(prefix, [&](std::string_view key, std::string_view value) {
    found.emplace_back(key, value);
    return true;
  }, from);
  return found;
}

// Applies one batch to both stores.
template <class Fill>
void write_both(Store& disk, Store& memory, Fill fill) {
  WriteBatch a;
  WriteBatch b;
  fill(a);
  fill(b);
  disk.write(a);
  memory.write(b);
}

void check_same(const Store& disk, const Store& memory) {
  for (std::string_view prefix : {"c/", "c/x", "e/", "e/1/", "m", "z"}) {
    INFO("prefix '" << prefix << "'");
    CHECK(scan_all(memory, prefix) == scan_all(disk, prefix));
    CHECK(scan_all(memory, prefix, "c/b") == scan_all(disk, prefix, "c/b"));
    CHECK(memory.last_with_prefix(prefix) == disk.last_with_prefix(prefix));
  }
  for (std::string_view key : {"c/a", "c/b", "c/x1", "e/1/0001", "e/2/0001", "m", "missing"}) {
    INFO("key " << key);
    CHECK(memory.get(key) == disk.get(key));
  }
}

}  // namespace

TEST_CASE("Store in memory: reads answer as a store on disk after the same puts, erasures and "
          "prefix erasures, and nothing is written to disk",
          "[store]") {
  flowstate::test::TempDir temp;
  auto disk = Store::open(writing(temp / "disk"));
  auto memory = Store::open_in_memory();
  CHECK(memory->in_memory());
  CHECK(memory->directory().empty());
  CHECK_FALSE(memory->lock_holder());

  write_both(*disk, *memory, [](WriteBatch& batch) {
    batch.put("c/a", "1");
    batch.put("c/b", "2");
    batch.put("c/x1", "3");
    batch.put("c/x2", "4");
    batch.put("e/1/0001", "event one");  // the log column family on disk
    batch.put("e/1/0002", "event two");
    batch.put("e/2/0001", "other execution");
    batch.put("m", "5");
  });
  check_same(*disk, *memory);

  write_both(*disk, *memory, [](WriteBatch& batch) {
    batch.erase("c/b");
    batch.erase_prefix("c/x");
    batch.put("c/a", "rewritten");
    batch.erase_prefix("e/1/");
  });
  check_same(*disk, *memory);

  // Keys written again under an erased prefix come back.
  write_both(*disk, *memory, [](WriteBatch& batch) {
    batch.put("c/x1", "again");
    batch.put("e/1/0001", "redriven");
  });
  check_same(*disk, *memory);

  memory->flush();   // no-ops in memory
  memory->verify();
  memory->refresh();
  CHECK(scan_all(*memory, "c/") == Pairs{{"c/a", "rewritten"}, {"c/x1", "again"}});
}
