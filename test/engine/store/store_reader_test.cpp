// Read mode (a RocksDB secondary instance) beside a writer running in another process.
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/flowstate_binary.hpp"
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

int count_keys(const Store& store) {
  int count = 0;
  store.scan("key/", [&](std::string_view, std::string_view) { return ++count, true; });
  return count;
}

}  // namespace

TEST_CASE("Store: a reader opened while another process writes sees its commits, and more after refresh",
          "[store][reader]") {
  flowstate::test::TempDir temp;
  auto directory = temp / "store";
  flowstate::test::FlowstateProcess holder({directory.string(), "10", "flowstate run a.yaml"}, "",
                                           FLOWSTATE_STORE_HOLDER);
  REQUIRE(holder.wait_for_stderr("ready", 10s));

  auto reader = Store::open(reading(directory));
  CHECK(reader->mode() == AccessMode::read);
  CHECK(count_keys(*reader) == 10);
  CHECK(reader->get(holder_key(9)) == holder_value(9));
  CHECK(reader->last_with_prefix("key/")->first == holder_key(9));
  auto writer = reader->lock_holder();
  REQUIRE(writer);
  CHECK(writer->pid == holder.pid());
  CHECK(writer->command == "flowstate run a.yaml");

  holder.signal(SIGUSR1);
  REQUIRE(holder.wait_for_stderr("wrote 20", 10s));
  CHECK_FALSE(reader->get(holder_key(15)));  // a reader sees a snapshot until it refreshes
  reader->refresh();
  CHECK(count_keys(*reader) == 20);
  CHECK(reader->get(holder_key(19)) == holder_value(19));

  holder.signal(SIGTERM);
  CHECK(holder.finish().exit_code == 0);
  CHECK_FALSE(reader->lock_holder());
  reader->refresh();
  CHECK(count_keys(*reader) == 20);
}

TEST_CASE("Store: a reader refuses to write", "[store][reader]") {
  flowstate::test::TempDir temp;
  Store::open(writing(temp / "store"));
  auto reader = Store::open(reading(temp / "store"));
  WriteBatch batch;
  batch.put("k", "v");
  CHECK_THROWS_AS(reader->write(batch), StoreError);
}
