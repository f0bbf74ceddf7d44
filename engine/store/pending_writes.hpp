// PendingWrites: the writes of journals not yet moved into RocksDB (journal.hpp), applied in
// order, as a reader sees them on top of what RocksDB holds: a key they put or erased
// answers from here, a key under a prefix they erased is gone, any other key comes from
// RocksDB.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/store/write_batch.hpp"

namespace flowstate::store {

class PendingWrites {
 public:
  /// Below: what the writes lie on. nothing (a store in memory holds only them): an erased
  /// key is forgotten instead of being kept to hide what RocksDB holds.
  enum class Below { rocksdb, nothing };
  explicit PendingWrites(Below below = Below::rocksdb) : below_(below) {}

  void apply(const WriteBatch::Operation& operation);
  bool empty() const { return entries_.empty() && erased_.empty(); }

  enum class Answer { value, erased, unknown };
  /// What the pending writes say of `key`; `value` points into them when Answer::value.
  Answer lookup(std::string_view key, std::string_view* value = nullptr) const;
  /// Whether a key in RocksDB is hidden by the pending writes (put, erased or range-erased).
  bool hides(std::string_view key) const;

  using Entries = std::map<std::string, std::optional<std::string>, std::less<>>;
  /// Keys put (with a value) or erased (std::nullopt), in key order.
  const Entries& entries() const { return entries_; }

 private:
  bool range_erased(std::string_view key) const;

  Below below_;
  Entries entries_;
  std::map<std::string, std::string, std::less<>> erased_;  // [begin, end) ranges, disjoint
};

}  // namespace flowstate::store
