// Store formats 2 and 3: history-like keys ("e/", "l/") live in a column family of their
// own, whose values format 3 stores compressed when that pays. A store written in format 1
// (one family) or 2 (plain values) is read as it is, and moved to format 3 by the first
// writer, with nothing lost; scans and erasures that span both families still see one key
// order.
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

// RocksDB itself on a store's two families ("default", "log"), bypassing Store.
enum class RawAccess { read_only, write };
class RawStore {
 public:
  RawStore(const std::filesystem::path& directory, RawAccess access) {
    initialize_rocksdb();
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families{
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {"log", rocksdb::ColumnFamilyOptions()}};
    rocksdb::DB* raw = nullptr;
    rocksdb::DBOptions db_options(options);
    REQUIRE((access == RawAccess::read_only
                 ? rocksdb::DB::OpenForReadOnly(db_options, directory.string(), families, &handles_, &raw)
                 : rocksdb::DB::Open(db_options, directory.string(), families, &handles_, &raw))
                .ok());
    db_.reset(raw);
  }
  ~RawStore() {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }

  void put(std::size_t family, const std::string& key, const std::string& value) {
    REQUIRE(db_->Put(rocksdb::WriteOptions(), handles_[family], key, value).ok());
  }
  /// The pairs of family 0 ("default") or 1 ("log") as RocksDB holds them.
  Pairs pairs(std::size_t family) const {
    Pairs pairs;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[family]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) pairs.emplace_back(it->key().ToString(), it->value().ToString());
    return pairs;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// A format-2 store as flowstate wrote it before format 3: two families, plain values.
void write_format_2_store(const std::filesystem::path& directory, const Pairs& pairs) {
  RawStore store(directory, RawAccess::write);
  store.put(0, "flowstate/format", "2");
  for (const auto& [key, value] : pairs) store.put(key.starts_with("e/") || key.starts_with("l/") ? 1 : 0, key, value);
}

// The keys of each column family, read with RocksDB itself.
std::pair<std::vector<std::string>, std::vector<std::string>> keys_by_family(
    const std::filesystem::path& directory) {
  RawStore store(directory, RawAccess::read_only);
  std::pair<std::vector<std::string>, std::vector<std::string>> keys;
  for (const auto& [key, value] : store.pairs(0)) keys.first.push_back(key);
  for (const auto& [key, value] : store.pairs(1)) keys.second.push_back(key);
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
    CHECK(writer->get("flowstate/format") == "3");
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

namespace {

// A history page's worth of repetitive JSON, as the event sink writes them.
std::string page(int events) {
  std::string text;
  for (int i = 0; i < events; ++i)
    text += R"({"timestamp":"2026-11-30T04:58:44.842Z","type":"PassStateEntered","id":)" + std::to_string(i) +
            R"(,"stateEnteredEventDetails":{"name":"Inc","input":"{\"i\":0,\"n\":5000}"}})" + "\n";
  return text;
}

}  // namespace

TEST_CASE("Store format 3: log values are stored compressed when that pays and read back whole "
          "by every read",
          "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  const std::string large = page(100);
  const std::string zero_led("\0tiny", 5);  // would read as compressed if kept plain
  {
    auto store = Store::open(writing(directory));
    WriteBatch batch;
    batch.put("e/1/a", large);
    batch.put("e/1/b", "small");
    batch.put("l/1/a", zero_led);
    batch.put("c/1/", large);
    store->write(batch);
    CHECK(store->get("e/1/a") == large);
    CHECK(store->get("l/1/a") == zero_led);
    CHECK(scan_all(*store, "e/1/") == Pairs{{"e/1/a", large}, {"e/1/b", "small"}});
    CHECK(store->last_with_prefix("l/")->second == zero_led);
  }
  Pairs stored = RawStore(directory, RawAccess::read_only).pairs(1);
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].second.front() == '\0');
  CHECK(stored[0].second.size() < large.size() / 10);
  CHECK(stored[1].second == "small");
  CHECK(stored[2].second.front() == '\0');
  CHECK(stored[2].second != zero_led);
  auto reader = Store::open(reading(directory));
  CHECK(scan_all(*reader, "") == Pairs{{"c/1/", large}, {"e/1/a", large}, {"e/1/b", "small"},
                                       {"flowstate/format", "3"}, {"l/1/a", zero_led}});
}

TEST_CASE("Store format 3: a value that compresses by far more than 255 times reads back whole",
          "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  const std::string repeated(300000, 'a');  // a task's log line of one character
  {
    auto store = Store::open(writing(directory));
    WriteBatch batch;
    batch.put("l/1/a", repeated);
    store->write(batch);
  }
  Pairs stored = RawStore(directory, RawAccess::read_only).pairs(1);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].second.size() < 300);
  auto store = Store::open(reading(directory));
  CHECK(store->get("l/1/a") == repeated);
}

TEST_CASE("Store format 2: a reader reads it as it is, and the first writer moves it to format 3 "
          "with its plain values unchanged",
          "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  const std::string large = page(100);
  write_format_2_store(directory, {{"c/1/", "checkpoint"}, {"e/1/a", large}, {"l/1/a", "log line"}});
  {
    auto reader = Store::open(reading(directory));
    CHECK(reader->get("flowstate/format") == "2");
    CHECK(reader->get("e/1/a") == large);
  }
  {
    auto writer = Store::open(writing(directory));
    CHECK(writer->get("flowstate/format") == "3");
    WriteBatch batch;
    batch.put("e/1/b", large);
    writer->write(batch);
    CHECK(scan_all(*writer, "e/1/") == Pairs{{"e/1/a", large}, {"e/1/b", large}});
  }
  Pairs stored = RawStore(directory, RawAccess::read_only).pairs(1);
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].second == large);         // written plain in format 2, kept
  CHECK(stored[1].second.front() == '\0');  // written compressed in format 3
  auto reader = Store::open(reading(directory));
  CHECK(reader->get("e/1/b") == large);
  CHECK(reader->last_with_prefix("l/")->second == "log line");
}

TEST_CASE("Store format 3: a compressed value that does not decode is a corrupted store", "[store]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  { auto store = Store::open(writing(directory)); }
  RawStore(directory, RawAccess::write).put(1, "e/1/a", std::string("\0not zstd", 9));
  auto store = Store::open(reading(directory));
  REQUIRE_THROWS_MATCHES(store->get("e/1/a"), StoreError,
                         Catch::Matchers::Message("store " + directory.string() + " is corrupted: a compressed "
                                                  "value has no valid Zstandard frame header; restore it from a "
                                                  "backup or move it aside"));
}
