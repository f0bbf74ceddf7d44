#include "engine/store/store.hpp"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using namespace std::chrono_literals;
using flowstate::test::reading;
using flowstate::test::waiting;
using flowstate::test::writing;
using Catch::Matchers::Message;

namespace {

void put(Store& store, std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.put(key, value);
  store.write(batch);
}

std::vector<std::pair<std::string, std::string>> scan_all(const Store& store, std::string_view prefix,
                                                          std::string_view from = {}) {
  std::vector<std::pair<std::string, std::string>> found;
  store.scan(prefix, [&](std::string_view key, std::string_view value) {
    found.emplace_back(key, value);
    return true;
  }, from);
  return found;
}

StoreError::Kind kind_of_open(const StoreOptions& options) {
  try {
    Store::open(options);
  } catch (const StoreError& error) {
    return error.kind();
  }
  FAIL("the store opened");
  return StoreError::Kind::io;
}

}  // namespace

TEST_CASE("Store: a write-mode open creates the directory and records format version 3", "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "nested" / ".flowstate";
  {
    auto store = Store::open(writing(directory));
    CHECK(store->directory() == directory);
    CHECK(store->get("flowstate/format") == "3");
    put(*store, "a", "1");
  }
  CHECK(std::filesystem::exists(directory / "CURRENT"));
  CHECK(std::filesystem::exists(directory / "flowstate.lock"));
  CHECK_FALSE(std::filesystem::exists(directory / "LOG"));  // no info LOG in the store
  auto store = Store::open(writing(directory));
  CHECK(store->get("a") == "1");
}

TEST_CASE("Store: read mode on a missing store is an error naming the directory", "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "absent";
  REQUIRE_THROWS_MATCHES(Store::open(reading(directory)), StoreError,
                         Message("no flowstate store at " + directory.string()));
  CHECK(kind_of_open(reading(directory)) == StoreError::Kind::missing);
  CHECK_FALSE(std::filesystem::exists(directory));
  std::filesystem::create_directory(directory);  // an empty directory is no store either
  CHECK(kind_of_open(reading(directory)) == StoreError::Kind::missing);
}

TEST_CASE("Store: another format version is refused in both modes", "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  {
    auto store = Store::open(writing(directory));
    put(*store, "flowstate/format", "4");
  }
  std::string expected = "store " + directory.string() + " has format version 4; this flowstate reads "
                         "versions 1 to 3";
  REQUIRE_THROWS_MATCHES(Store::open(writing(directory)), StoreError, Message(expected));
  REQUIRE_THROWS_MATCHES(Store::open(reading(directory)), StoreError,
                         Message(expected));
  CHECK(kind_of_open(writing(directory)) == StoreError::Kind::version);
}

TEST_CASE("Store: a directory with other files is not taken for a store", "[store]") {
  flowstate::test::TempDir temp;
  temp.write("notes.txt", "mine");
  std::string expected = temp.path().string() +
                         " is not a flowstate store: it is not empty and has no RocksDB CURRENT file; "
                         "choose an empty or new directory for the store";
  REQUIRE_THROWS_MATCHES(Store::open(writing(temp.path())), StoreError, Message(expected));
  REQUIRE_THROWS_MATCHES(Store::open(reading(temp.path())), StoreError,
                         Message(expected));
  CHECK(kind_of_open(writing(temp.path())) == StoreError::Kind::not_a_store);
  CHECK(temp.read("notes.txt") == "mine");
  CHECK_FALSE(std::filesystem::exists(temp / "CURRENT"));
}

TEST_CASE("Store: what a creation killed before RocksDB's CURRENT leaves is no store for a reader "
          "and is created again by a writer",
          "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  std::filesystem::create_directory(directory);
  for (const char* name : {"IDENTITY", "LOCK", "MANIFEST-000001", "OPTIONS-000007", "000003.log",
                           "000001.dbtmp", "flowstate.lock"})
    std::ofstream(directory / name) << "partial";
  REQUIRE_THROWS_MATCHES(Store::open(reading(directory)), StoreError,
                         Message("no flowstate store at " + directory.string()));
  {
    auto store = Store::open(writing(directory));
    put(*store, "a", "1");
  }
  CHECK_FALSE(std::filesystem::exists(directory / "000001.dbtmp"));
  CHECK(Store::open(reading(directory))->get("a") == "1");

  // A file RocksDB would not name so is someone else's: the directory is left alone.
  auto other = temp / "other";
  std::filesystem::create_directory(other);
  std::ofstream(other / "IDENTITY") << "x";
  std::ofstream(other / "notes.log") << "mine";
  CHECK(kind_of_open(writing(other)) == StoreError::Kind::not_a_store);
  CHECK(std::filesystem::exists(other / "notes.log"));
}

TEST_CASE("Store: get, scan from a key, stop early, and last_with_prefix", "[store]") {
  flowstate::test::TempDir temp;
  auto store = Store::open(writing(temp / "store"));
  WriteBatch batch;
  for (const char* key : {"e/1/a", "e/1/b", "e/1/c", "e/2/a", "e/10", "f"}) batch.put(key, std::string("v") + key);
  batch.put(std::string("g\xFF", 2), "high");
  batch.put(std::string("g\xFF\xFF", 3), "higher");
  store->write(batch);

  CHECK(store->get("e/1/b") == "ve/1/b");
  CHECK_FALSE(store->get("e/1"));

  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(scan_all(*store, "e/1/") == Pairs{{"e/1/a", "ve/1/a"}, {"e/1/b", "ve/1/b"}, {"e/1/c", "ve/1/c"}});
  CHECK(scan_all(*store, "e/1/", "e/1/b") == Pairs{{"e/1/b", "ve/1/b"}, {"e/1/c", "ve/1/c"}});
  CHECK(scan_all(*store, "e/1/", "e/1/bb") == Pairs{{"e/1/c", "ve/1/c"}});
  CHECK(scan_all(*store, "e/1/", "e/0") == scan_all(*store, "e/1/"));  // `from` before the prefix
  CHECK(scan_all(*store, "x/").empty());
  CHECK(scan_all(*store, std::string("g\xFF", 2)).size() == 2);  // a prefix without successor

  int visited = 0;
  store->scan("e/", [&](std::string_view, std::string_view) { return ++visited < 2; });
  CHECK(visited == 2);

  CHECK(store->last_with_prefix("e/1/") == std::pair<std::string, std::string>{"e/1/c", "ve/1/c"});
  CHECK(store->last_with_prefix("e/") == std::pair<std::string, std::string>{"e/2/a", "ve/2/a"});
  CHECK(store->last_with_prefix(std::string("g\xFF", 2))->second == "higher");
  CHECK(store->last_with_prefix("")->second == "higher");
  CHECK_FALSE(store->last_with_prefix("d"));
}

TEST_CASE("Store: refresh is a no-op for the writer, and lock_holder names this process", "[store]") {
  flowstate::test::TempDir temp;
  auto store = Store::open(waiting(temp / "store", 60s, "flowstate run a.yaml"));
  store->refresh();
  auto holder = store->lock_holder();
  REQUIRE(holder);
  CHECK(holder->pid == ::getpid());
  CHECK(holder->command == "flowstate run a.yaml");
  store.reset();
  CHECK_FALSE(StoreLock::holder(temp / "store"));
}

TEST_CASE("Store: sync durability writes and reads back", "[store]") {
  flowstate::test::TempDir temp;
  {
    auto store = Store::open(writing(temp / "store", Durability::sync));
    put(*store, "k", "v");
  }
  CHECK(Store::open(writing(temp / "store"))->get("k") == "v");
}
