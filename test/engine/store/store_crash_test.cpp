// What a store holds after its writer is killed, and how damage to its files surfaces: a torn
// WAL tail is dropped, damage before it and in table files is a StoreError corrupted.
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/store_files.hpp"
#include "test/harness/store_holder_keys.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::reading;
using flowstate::test::waiting;
using flowstate::test::writing;
using namespace std::chrono_literals;
using flowstate::test::holder_key;
using flowstate::test::holder_value;

namespace {

// Runs store_holder on `directory` until it has written `keys` keys, then kills it with SIGKILL.
void write_then_kill(const std::filesystem::path& directory, int keys, const std::string& durability = "wal") {
  flowstate::test::FlowstateProcess holder({directory.string(), std::to_string(keys), "crash", durability}, "",
                                           FLOWSTATE_STORE_HOLDER);
  REQUIRE(holder.wait_for_stderr("ready", 10s));
  holder.signal(SIGKILL);
  REQUIRE(holder.finish().exit_code == 128 + SIGKILL);
}

std::string corrupted_message(const std::filesystem::path& directory, const StoreError& error) {
  std::string head = "store " + directory.string() + " is corrupted: Corruption: ";
  std::string tail = "; restore it from a backup or move it aside";
  std::string what = error.what();
  CHECK(what.substr(0, head.size()) == head);
  CHECK(what.size() > head.size() + tail.size());
  CHECK(what.substr(what.size() - std::min(what.size(), tail.size())) == tail);
  return what;
}

}  // namespace

TEST_CASE("Store: every write acknowledged before a kill -9 is there after reopening", "[store][crash]") {
  std::string durability = GENERATE("wal", "sync");
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  write_then_kill(directory, 50, durability);
  REQUIRE_FALSE(flowstate::test::store_files(directory, ".log").empty());
  auto store = Store::open(writing(directory));
  for (int i = 0; i < 50; ++i) CHECK(store->get(holder_key(i)) == holder_value(i));
}

TEST_CASE("Store: a torn WAL tail opens with everything before the tear", "[store][crash]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  write_then_kill(directory, 50);
  auto wal = flowstate::test::store_files(directory, ".log").back();
  std::filesystem::resize_file(wal, std::filesystem::file_size(wal) - 3);
  auto store = Store::open(writing(directory));
  for (int i = 0; i < 49; ++i) CHECK(store->get(holder_key(i)) == holder_value(i));
  CHECK_FALSE(store->get(holder_key(49)));  // the torn record, dropped
  WriteBatch batch;
  batch.put("after", "tear");
  store->write(batch);
  store.reset();
  CHECK(Store::open(writing(directory))->get("after") == "tear");
}

TEST_CASE("Store: a flipped byte in the middle of the WAL is refused as corrupted", "[store][crash]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  write_then_kill(directory, 100);
  auto wal = flowstate::test::store_files(directory, ".log").back();
  flowstate::test::flip_byte(wal, std::filesystem::file_size(wal) / 2);
  for (auto mode : {AccessMode::write, AccessMode::write, AccessMode::read}) {  // refused every time
    try {
      Store::open(mode == AccessMode::read ? reading(directory) : writing(directory));
      FAIL("the damaged store opened");
    } catch (const StoreError& error) {
      CHECK(error.kind() == StoreError::Kind::corrupted);
      corrupted_message(directory, error);
    }
  }
}

TEST_CASE("Store: a damaged table file surfaces as corrupted when read and in verify", "[store][crash]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  std::uint64_t noise = 88172645463325252ull;  // xorshift: values that do not compress
  auto incompressible = [&] {
    std::string value(1000, ' ');
    for (char& c : value) {
      noise ^= noise << 13, noise ^= noise >> 7, noise ^= noise << 17;
      c = static_cast<char>('a' + noise % 26);
    }
    return value;
  };
  {
    auto store = Store::open(writing(directory));
    WriteBatch batch;
    for (int i = 0; i < 40; ++i) batch.put(holder_key(i), incompressible());
    store->write(batch);
    store->flush();
    store->verify();
  }
  auto tables = flowstate::test::store_files(directory, ".sst");
  REQUIRE(tables.size() == 1);
  // ~40 KB of 4 KB data blocks: the format key is in the first block, this byte in a later one.
  flowstate::test::flip_byte(tables.front(), 30'000);
  auto store = Store::open(writing(directory));
  CHECK(store->get(holder_key(0)));
  try {
    store->scan("key/", [](std::string_view, std::string_view) { return true; });
    FAIL("a damaged block was read");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreError::Kind::corrupted);
    corrupted_message(directory, error);
  }
  try {
    store->verify();
    FAIL("verify passed a damaged table");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreError::Kind::corrupted);
    corrupted_message(directory, error);
  }
}
