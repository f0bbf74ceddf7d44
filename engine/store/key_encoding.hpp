// Key encoding for the store: fixed-width big-endian integers, so RocksDB's bytewise key
// order is numeric order, and prefix_successor, the first key after every key with a prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flowstate::store {

/// Appends `value` as 8 big-endian bytes (keys sort in numeric order).
inline void append_u64_be(std::string& key, std::uint64_t value) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  key.append(bytes, sizeof bytes);
}

/// Appends `value` as 4 big-endian bytes.
inline void append_u32_be(std::string& key, std::uint32_t value) {
  char bytes[4];
  for (int i = 3; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  key.append(bytes, sizeof bytes);
}

/// Reads 8 big-endian bytes at the start of `bytes` (which must hold at least 8).
inline std::uint64_t read_u64_be(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

/// Reads 4 big-endian bytes at the start of `bytes` (which must hold at least 4).
inline std::uint32_t read_u32_be(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

/// The smallest key greater than every key that starts with `prefix`: the prefix with its
/// trailing 0xFF bytes dropped and its last byte incremented. Empty when there is none
/// (the prefix is empty or all 0xFF): then every key up to the end matches.
inline std::string prefix_successor(std::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(successor.back());
    if (last != 0xFF) {
      ++last;
      return successor;
    }
    successor.pop_back();
  }
  return successor;
}

}  // namespace flowstate::store
