// Store format 2: history-like keys ("e/", "l/") live in a column family of their own. A
// store written in format 1 (one family) is read as it is, and moved to format 2 by the
// first writer, with nothing lost; scans and erasures that span both families still see
// one key order.
#include "engine/store/store.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include "engine/store/rocksdb_initialization.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::reading;
using flowstate::test::writing;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs scan_all(const Store& store, std::string_view prefix) {
  Pairs found;
  store.scan(prefix, [&](std::string_view key, std::string_view value) {
    found.emplace_back(key, value);
    return true;
  });
  return found;
}

// A format-1 store as flowstate wrote it before format 2: every key in the default family.
void write_format_1_store(const std::filesystem::path& directory, const Pairs& pairs) {
  initialize_rocksdb();
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, directory.string(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  REQUIRE(db->Put(rocksdb::WriteOptions(), "flowstate/format", "1").ok());
  for (const auto& [key, value] : pairs) REQUIRE(db->Put(rocksdb::WriteOptions(), key, value).ok());
  REQUIRE(db->Close().ok());
}

// The keys of each column family, read with RocksDB itself.
std::pair<std::vector<std::string>, std::vector<std::string>> keys_by_family(
    const std::filesystem::path& directory) {
  initialize_rocksdb();
  std::vector<rocksdb::ColumnFamilyDescriptor> families{
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"log", rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), directory.string(), families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::pair<std::vector<std::string>, std::vector<std::string>> keys;
  for (std::size_t i = 0; i < 2; ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      (i == 0 ? keys.first : keys.second).push_back(it->key().ToString());
  }
  for (auto* handle : handles) REQUIRE(db->DestroyColumnFamilyHandle(handle).ok());
  return keys;
}

const Pairs kContent{{"c/1/", "checkpoint"}, {"e/1/a", "event a"}, {"e/1/b", "event b"},
                     {"l/1/a", "log line"}, {"x/1", "record"}};

TEST_CASE("Store format 2: a writer keeps history and logs apart from the rest", "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  {
    auto store = Store::open(writing(directory));
    WriteBatch batch;
    for (const auto& [key, value] : kContent) batch.put(key, value);
    store->write(batch);
    CHECK(store->get("e/1/b") == "event b");
    CHECK(store->get("c/1/") == "checkpoint");
  }
  auto [main, log] = keys_by_family(directory);
  CHECK(main == std::vector<std::string>{"c/1/", "flowstate/format", "x/1"});
  CHECK(log == std::vector<std::string>{"e/1/a", "e/1/b", "l/1/a"});
}

TEST_CASE("Store format 2: scans, last keys and erasures spanning both families keep one key "
          "order",
          "[store]") {
  flowstate::test::TempDir temp;
  auto store = Store::open(writing(temp / "store"));
  WriteBatch batch;
  for (const auto& [key, value] : kContent) batch.put(key, value);
  batch.put("d/1", "between");
  store->write(batch);
  Pairs everything = scan_all(*store, "");
  std::vector<std::string> keys;
  for (const auto& [key, value] : everything) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"c/1/", "d/1", "e/1/a", "e/1/b", "flowstate/format", "l/1/a", "x/1"});
  CHECK(scan_all(*store, "e") == Pairs{{"e/1/a", "event a"}, {"e/1/b", "event b"}});
  CHECK(store->last_with_prefix("")->first == "x/1");
  CHECK(store->last_with_prefix("l")->first == "l/1/a");
  CHECK(store->last_with_prefix("e/1/")->first == "e/1/b");

  WriteBatch erase;
  erase.erase_prefix("e");
  erase.erase_prefix("x/");
  store->write(erase);
  CHECK(scan_all(*store, "e").empty());
  CHECK(store->get("x/1") == std::nullopt);
  CHECK(store->get("l/1/a") == "log line");
}

TEST_CASE("Store format 1: a reader reads it as it is, and the first writer moves it to format 2 "
          "with nothing lost",
          "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  write_format_1_store(directory, kContent);
  {
    auto reader = Store::open(reading(directory));
    CHECK(reader->get("flowstate/format") == "1");
    CHECK(scan_all(*reader, "e/1/") == Pairs{{"e/1/a", "event a"}, {"e/1/b", "event b"}});
    CHECK(reader->last_with_prefix("l/1/")->second == "log line");
  }
  {
    auto writer = Store::open(writing(directory));
    CHECK(writer->get("flowstate/format") == "2");
    CHECK(scan_all(*writer, "e/1/") == Pairs{{"e/1/a", "event a"}, {"e/1/b", "event b"}});
    CHECK(writer->get("x/1") == "record");
  }
  auto [main, log] = keys_by_family(directory);
  CHECK(main == std::vector<std::string>{"c/1/", "flowstate/format", "x/1"});
  CHECK(log == std::vector<std::string>{"e/1/a", "e/1/b", "l/1/a"});
  auto reader = Store::open(reading(directory));
  CHECK(scan_all(*reader, "l/") == Pairs{{"l/1/a", "log line"}});
  CHECK(reader->get("c/1/") == "checkpoint");
}

}  // namespace
