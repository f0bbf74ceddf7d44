// WriteBatch: the puts and deletes of one atomic Store::write (one state transition's
// events and checkpoint). Owns a rocksdb::WriteBatch (pImpl), so reusing one costs no
// allocation once its buffer has grown.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace rocksdb {
class WriteBatch;
}

namespace flowstate::store {

class Store;

class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;

  void put(std::string_view key, std::string_view value);
  void erase(std::string_view key);
  /// Deletes every key that starts with `prefix` (one range tombstone). The prefix must
  /// have a successor (not empty, not all 0xFF bytes): deleting everything is a bug.
  void erase_prefix(std::string_view prefix);

  bool empty() const;
  /// The number of operations (puts, erases, prefix erases) in the batch.
  std::size_t count() const;
  void clear();

 private:
  friend class Store;
  std::unique_ptr<rocksdb::WriteBatch> rep_;
};

}  // namespace flowstate::store
