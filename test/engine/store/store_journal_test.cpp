// Deferred writers (StoreOptions::deferred): their batches go to a journal, readers see them
// on top of RocksDB, and the next writer that opens RocksDB moves them in; a torn journal
// tail is dropped, damage before it is refused as corrupted.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/journal.hpp"
#include "engine/store/store.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/store_files.hpp"
#include "test/harness/store_holder_keys.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::deferring;
using flowstate::test::holder_key;
using flowstate::test::holder_value;
using flowstate::test::reading;
using flowstate::test::writing;
using namespace std::chrono_literals;

namespace fs = std::filesystem;

namespace {

void put(Store& store, std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.put(key, value);
  store.write(batch);
}

std::vector<std::string> keys_under(const Store& store, std::string_view prefix) {
  std::vector<std::string> keys;
  store.scan(prefix, [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  });
  return keys;
}

// TEMP/store, created by a writer that opened RocksDB, holding "old/1".."old/3" and "keep".
fs::path existing_store(const flowstate::test::TempDir& temp) {
  auto directory = temp / "store";
  auto store = Store::open(writing(directory));
  WriteBatch batch;
  for (const char* key : {"old/1", "old/2", "old/3", "keep"}) batch.put(key, std::string("stored ") + key);
  store->write(batch);
  return directory;
}

void write_then_kill(const fs::path& directory, int keys) {
  flowstate::test::FlowstateProcess holder({directory.string(), std::to_string(keys), "crash", "wal", "deferred"},
                                           "", FLOWSTATE_STORE_HOLDER);
  REQUIRE(holder.wait_for_stderr("ready", 10s));
  holder.signal(SIGKILL);
  REQUIRE(holder.finish().exit_code == 128 + SIGKILL);
}

}  // namespace

TEST_CASE("Journal: a deferred writer does not open RocksDB, and a reader sees its writes on top of it",
          "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  auto writer = Store::open(deferring(directory));
  CHECK(writer->deferred());
  WriteBatch batch;
  batch.put("new/1", "a");
  batch.erase_prefix("old/");
  batch.put("old/2", "written again");
  batch.erase("keep");
  writer->write(batch);
  put(*writer, "new/2", "b");
  CHECK(writer->deferred());
  REQUIRE(list_journals(directory).size() == 1);

  auto reader = Store::open(reading(directory));
  CHECK(reader->get("new/1") == "a");
  CHECK(reader->get("old/2") == "written again");
  CHECK_FALSE(reader->get("old/1"));
  CHECK_FALSE(reader->get("keep"));
  CHECK(keys_under(*reader, "") == std::vector<std::string>{"flowstate/format", "new/1", "new/2", "old/2"});
  CHECK(keys_under(*reader, "old/") == std::vector<std::string>{"old/2"});
  CHECK(reader->last_with_prefix("new/") == std::pair<std::string, std::string>{"new/2", "b"});

  put(*writer, "new/3", "c");
  CHECK_FALSE(reader->get("new/3"));
  reader->refresh();
  CHECK(reader->get("new/3") == "c");
}

TEST_CASE("Journal: a writer defers only while RocksDB's files are as its last writer closed them",
          "[store][journal][crash]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  CHECK(Store::open(deferring(directory))->deferred());
  // Damage RocksDB's files while no one has them open: the next deferred writer opens RocksDB
  // and refuses the store, instead of journaling writes no later open could move in.
  auto wal = flowstate::test::store_files(directory, ".log").back();
  flowstate::test::flip_byte(wal, fs::file_size(wal) / 2);
  auto journals = list_journals(directory).size();
  try {
    Store::open(deferring(directory));
    FAIL("the damaged store opened");
  } catch (const StoreError& error) {
    CHECK(error.kind() == StoreError::Kind::corrupted);
  }
  CHECK(list_journals(directory).size() == journals);
}

TEST_CASE("Journal: a writer opens RocksDB after one that was killed with it open", "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  {
    flowstate::test::FlowstateProcess holder({directory.string(), "10", "crash"}, "", FLOWSTATE_STORE_HOLDER);
    REQUIRE(holder.wait_for_stderr("ready", 10s));
    holder.signal(SIGKILL);
    REQUIRE(holder.finish().exit_code == 128 + SIGKILL);
  }
  auto writer = Store::open(deferring(directory));  // the WAL it left is replayed here
  CHECK_FALSE(writer->deferred());
  CHECK(writer->get(holder_key(9)) == holder_value(9));
}

TEST_CASE("Journal: the next writer that opens RocksDB moves every journal into it", "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  for (int run = 0; run < 3; ++run) {
    auto writer = Store::open(deferring(directory));
    REQUIRE(writer->deferred());
    put(*writer, "run/" + std::to_string(run), "done");
  }
  CHECK(list_journals(directory).size() == 3);
  {
    auto writer = Store::open(writing(directory));
    CHECK_FALSE(writer->deferred());
    CHECK(list_journals(directory).empty());
    CHECK(keys_under(*writer, "run/") == std::vector<std::string>{"run/0", "run/1", "run/2"});
    CHECK(keys_under(*writer, "flowstate/journal/").size() == 3);  // the markers
    put(*writer, "run/1", "changed later");
  }
  auto reader = Store::open(reading(directory));
  CHECK(reader->get("run/1") == "changed later");
}

TEST_CASE("Journal: a deferred writer's first read opens RocksDB with its own journal moved in",
          "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  auto writer = Store::open(deferring(directory));
  put(*writer, "mine", "1");
  REQUIRE(writer->deferred());
  CHECK(writer->get("mine") == "1");
  CHECK_FALSE(writer->deferred());
  CHECK(list_journals(directory).empty());
  CHECK(writer->get("keep") == "stored keep");
  put(*writer, "after", "2");  // now straight into RocksDB
  CHECK(list_journals(directory).empty());
}

TEST_CASE("Journal: RocksDB is opened at once for a new store, an older store, or many waiting journals",
          "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  {
    auto created = Store::open(deferring(directory));
    CHECK_FALSE(created->deferred());  // a new store is created in RocksDB
  }
  CHECK(fs::exists(directory / kFormatFileName));

  fs::remove(directory / kFormatFileName);  // as a store written before the journal
  {
    auto older = Store::open(deferring(directory));
    CHECK_FALSE(older->deferred());
  }
  CHECK(fs::exists(directory / kFormatFileName));

  for (int run = 0; run < 32; ++run) put(*Store::open(deferring(directory)), "run/" + std::to_string(run), "x");
  CHECK(list_journals(directory).size() == 32);
  auto writer = Store::open(deferring(directory));
  CHECK_FALSE(writer->deferred());
  CHECK(list_journals(directory).empty());
  CHECK(keys_under(*writer, "run/").size() == 32);
}

TEST_CASE("Journal: a deferred writer moves its journal into RocksDB once it passes 1 MiB", "[store][journal]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  auto writer = Store::open(deferring(directory));
  std::string value(64 * 1024, 'v');
  int written = 0;
  while (writer->deferred() && written < 100) put(*writer, holder_key(written++), value);
  CHECK_FALSE(writer->deferred());
  CHECK(written == 16);  // 16 records of 64 KiB and their headers pass 1 MiB
  CHECK(list_journals(directory).empty());
  put(*writer, holder_key(written++), value);
  writer.reset();
  auto reader = Store::open(reading(directory));
  CHECK(keys_under(*reader, "key/").size() == 17);
}

TEST_CASE("Journal: writes acknowledged before a kill -9 are there, and a torn last record is dropped",
          "[store][journal][crash]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  write_then_kill(directory, 50);
  auto journals = list_journals(directory);
  REQUIRE(journals.size() == 1);
  {
    auto reader = Store::open(reading(directory));  // the killed writer's journal, read as is
    for (int i = 0; i < 50; ++i) CHECK(reader->get(holder_key(i)) == holder_value(i));
  }
  fs::resize_file(journals.front(), fs::file_size(journals.front()) - 3);  // tear the last record
  auto store = Store::open(writing(directory));
  for (int i = 0; i < 49; ++i) CHECK(store->get(holder_key(i)) == holder_value(i));
  CHECK_FALSE(store->get(holder_key(49)));
  CHECK(list_journals(directory).empty());
}

TEST_CASE("Journal: a damaged record before the last is refused as corrupted", "[store][journal][crash]") {
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  write_then_kill(directory, 50);
  auto journal = list_journals(directory).front();
  flowstate::test::flip_byte(journal, fs::file_size(journal) / 2);
  for (auto options : {reading(directory), writing(directory), deferring(directory)}) {
    try {
      auto store = Store::open(options);
      if (store->deferred()) store->get("keep");  // a deferred writer meets it on its first read
      FAIL("the damaged journal was accepted");
    } catch (const StoreError& error) {
      CHECK(error.kind() == StoreError::Kind::corrupted);
      CHECK(std::string(error.what()).find(journal.string()) != std::string::npos);
    }
  }
  CHECK(list_journals(directory).size() == 1);  // kept for whoever repairs the store
}

TEST_CASE("Journal: a reader ignores a journal that RocksDB already holds", "[store][journal]") {
  // What a reader that read a journal just before its ingestion sees: the marker says the
  // journal is in RocksDB, where later writes may have changed its keys.
  flowstate::test::TempDir temp;
  auto directory = existing_store(temp);
  put(*Store::open(deferring(directory)), "k", "from the journal");
  auto journal = list_journals(directory).front();
  fs::copy_file(journal, temp / "saved.log");
  put(*Store::open(writing(directory)), "k", "written after");
  fs::copy_file(temp / "saved.log", journal);  // as if listed just before the ingestion
  auto reader = Store::open(reading(directory));
  CHECK(reader->get("k") == "written after");
  auto writer = Store::open(writing(directory));  // and a writer only deletes it
  CHECK(writer->get("k") == "written after");
  CHECK(list_journals(directory).empty());
}
