// A full disk, on a real 4 MB tmpfs: writes fail with StoreError no_space (RocksDB 7.8 would
// abort if its info LOG were on this filesystem), nothing acknowledged is lost, and a store
// reopened after space is freed takes writes again. Needs mount(2): skipped with a warning
// where the test runs without that privilege.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"
#include "test/harness/tmpfs.hpp"

using namespace flowstate::store;
using flowstate::test::writing;

namespace {

// Writes zeros to `file` until the device is full.
void fill(const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  std::string block(64 * 1024, '\0');
  while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
  }
  out.close();
  std::string byte(1, '\0');
  for (std::ofstream more(file, std::ios::binary | std::ios::app); more.write(byte.data(), 1) && more.flush();) {
  }
}

std::string key(int i) { return "full/" + std::to_string(1'000'000 + i); }

}  // namespace

TEST_CASE("Store: a full disk fails writes with no_space, loses nothing acknowledged, and recovers on reopen",
          "[store][full_disk]") {
  flowstate::test::TempDir temp;
  flowstate::test::Tmpfs tmpfs(temp / "mnt", "size=4m");
  if (!tmpfs.mounted()) {
    WARN("SKIPPED: cannot mount a 4 MB tmpfs here (" << tmpfs.error()
                                                     << "); the full-disk behaviour of the store is untested");
    return;
  }
  auto directory = temp / "mnt" / "store";
  const std::string value(1000, 'v');
  int acknowledged = 0;
  {
    auto store = Store::open(writing(directory));
    WriteBatch batch;
    for (; acknowledged < 100; ++acknowledged) {
      batch.put(key(acknowledged), value);
      store->write(batch);
    }
    fill(temp / "mnt" / "filler");

    std::string message;
    for (int attempt = 0; attempt < 10'000 && message.empty(); ++attempt) {
      batch.put(key(acknowledged), value);
      try {
        store->write(batch);
        ++acknowledged;
      } catch (const StoreError& error) {
        CHECK(error.kind() == StoreError::Kind::no_space);
        message = error.what();
      }
    }
    CHECK(message == "no space left on device writing to store " + directory.string());
    CHECK_FALSE(batch.empty());  // a failed write leaves the batch as it was
    CHECK_THROWS_AS(store->write(batch), StoreError);  // still refused, never an abort
  }
  std::filesystem::remove(temp / "mnt" / "filler");

  {
    auto store = Store::open(writing(directory));
    for (int i = 0; i < acknowledged; ++i) REQUIRE(store->get(key(i)) == value);
    WriteBatch batch;
    batch.put("after", "space freed");
    store->write(batch);
  }
  CHECK(Store::open(writing(directory))->get("after") == "space freed");
}
