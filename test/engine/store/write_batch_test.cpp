#include "engine/store/write_batch.hpp"

#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "engine/store/store.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

using namespace flowstate::store;
using flowstate::test::reading;
using flowstate::test::waiting;
using flowstate::test::writing;

TEST_CASE("WriteBatch: counts its operations and is empty again after clear", "[store][write_batch]") {
  WriteBatch batch;
  CHECK(batch.empty());
  CHECK(batch.count() == 0);
  batch.put("a", "1");
  batch.erase("b");
  batch.erase_prefix("c/");
  CHECK_FALSE(batch.empty());
  CHECK(batch.count() == 3);
  batch.clear();
  CHECK(batch.empty());
  CHECK(batch.count() == 0);
}

TEST_CASE("WriteBatch: erase_prefix refuses a prefix without a successor", "[store][write_batch]") {
  WriteBatch batch;
  CHECK_THROWS_AS(batch.erase_prefix(""), std::invalid_argument);
  CHECK_THROWS_AS(batch.erase_prefix(std::string("\xFF", 1)), std::invalid_argument);
}

TEST_CASE("WriteBatch: one write applies puts, erases and prefix erases atomically and clears the batch",
          "[store][write_batch]") {
  flowstate::test::TempDir temp;
  auto store = Store::open(writing(temp / "store"));
  WriteBatch batch;
  for (const char* key : {"run/1/a", "run/1/b", "run/10/a", "run/2/a", "keep"}) batch.put(key, "x");
  store->write(batch);
  CHECK(batch.empty());

  batch.erase_prefix("run/1/");
  batch.erase("keep");
  batch.put("run/3/a", "y");
  store->write(batch);
  CHECK(batch.empty());

  std::vector<std::string> keys;
  store->scan("run/", [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  });
  CHECK(keys == std::vector<std::string>{"run/10/a", "run/2/a", "run/3/a"});
  CHECK_FALSE(store->get("keep"));
}
