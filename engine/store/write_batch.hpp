// WriteBatch: the puts and erases of one atomic Store::write (one state transition's events
// and checkpoint), encoded as one journal record (journal.hpp) as they are added, so the
// same bytes go to a journal or, decoded, into one RocksDB batch. Reusing a batch costs no
// allocation once its buffer has grown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/store/key_encoding.hpp"

namespace flowstate::store {

class WriteBatch {
 public:
  enum class Op : char { put = 'P', erase = 'D', erase_prefix = 'R' };
  struct Operation {
    Op op;
    std::string_view key;    ///< the key, or the prefix of erase_prefix
    std::string_view value;  ///< put only
  };

  void put(std::string_view key, std::string_view value);
  void erase(std::string_view key);
  /// Deletes every key that starts with `prefix` (one range tombstone). The prefix must
  /// have a successor (not empty, not all 0xFF bytes): deleting everything is a bug.
  void erase_prefix(std::string_view prefix);

  bool empty() const { return count_ == 0; }
  /// The number of operations (puts, erases, prefix erases) in the batch.
  std::size_t count() const { return count_; }
  void clear() {
    encoded_.clear();
    count_ = 0;
  }

  /// The operations, encoded: per operation its Op byte, the key as a 4-byte big-endian
  /// length and the bytes, and for a put the value the same way.
  std::string_view encoded() const { return encoded_; }

  /// Calls visit(const Operation&) for each operation encoded in `encoded`, in order;
  /// false (after visiting the well-formed ones) if the encoding is malformed.
  template <class Visit>
  static bool decode(std::string_view encoded, Visit&& visit);

 private:
  void append_field(std::string_view bytes);

  std::string encoded_;
  std::size_t count_ = 0;
};

template <class Visit>
bool WriteBatch::decode(std::string_view encoded, Visit&& visit) {
  auto field = [&encoded](std::string_view& out) {
    if (encoded.size() < 4) return false;
    std::uint32_t size = read_u32_be(encoded);
    if (encoded.size() - 4 < size) return false;
    out = encoded.substr(4, size);
    encoded.remove_prefix(4 + size);
    return true;
  };
  while (!encoded.empty()) {
    Operation operation{static_cast<Op>(encoded.front()), {}, {}};
    encoded.remove_prefix(1);
    if (operation.op != Op::put && operation.op != Op::erase && operation.op != Op::erase_prefix) return false;
    if (!field(operation.key)) return false;
    if (operation.op == Op::put && !field(operation.value)) return false;
    visit(static_cast<const Operation&>(operation));
  }
  return true;
}

}  // namespace flowstate::store
