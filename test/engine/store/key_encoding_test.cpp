#include "engine/store/key_encoding.hpp"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

using namespace flowstate::store;

TEST_CASE("key_encoding: big-endian integers sort in numeric order and read back", "[store][key_encoding]") {
  std::uint64_t numbers[] = {0, 1, 255, 256, 65'535, 1ull << 32, 0xFFFF'FFFF'FFFF'FFFEull, ~0ull};
  std::string previous;
  for (std::uint64_t number : numbers) {
    std::string key = "events/";
    append_u64_be(key, number);
    REQUIRE(key.size() == 7 + 8);
    CHECK(read_u64_be(std::string_view(key).substr(7)) == number);
    if (!previous.empty()) CHECK(previous < key);
    previous = key;
  }
  std::string key;
  append_u32_be(key, 0x01020304u);
  CHECK(key == std::string("\x01\x02\x03\x04", 4));
  CHECK(read_u32_be(key) == 0x01020304u);
  std::string max;
  append_u32_be(max, ~0u);
  CHECK(read_u32_be(max) == ~0u);
}

TEST_CASE("key_encoding: prefix_successor is the first key after every key with the prefix",
          "[store][key_encoding]") {
  CHECK(prefix_successor("abc") == "abd");
  CHECK(prefix_successor(std::string("a\xFF\xFF", 3)) == "b");
  CHECK(prefix_successor(std::string("\xFF\xFF", 2)).empty());
  CHECK(prefix_successor("").empty());
  CHECK(prefix_successor(std::string("a\x00", 2)) == std::string("a\x01", 2));
}
