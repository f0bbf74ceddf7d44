#include "engine/store/write_batch.hpp"

#include <stdexcept>
#include <string>

#include <rocksdb/write_batch.h>

#include "engine/store/key_encoding.hpp"
#include "engine/store/rocksdb_initialization.hpp"

namespace flowstate::store {

namespace {
rocksdb::Slice slice(std::string_view text) { return {text.data(), text.size()}; }
}  // namespace

WriteBatch::WriteBatch() {
  initialize_rocksdb();
  rep_ = std::make_unique<rocksdb::WriteBatch>();
}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::put(std::string_view key, std::string_view value) {
  rep_->Put(slice(key), slice(value));
}

void WriteBatch::erase(std::string_view key) { rep_->Delete(slice(key)); }

void WriteBatch::erase_prefix(std::string_view prefix) {
  std::string end = prefix_successor(prefix);
  if (end.empty())
    throw std::invalid_argument("WriteBatch::erase_prefix: the prefix has no successor (empty or all 0xFF)");
  rep_->DeleteRange(slice(prefix), slice(end));
}

bool WriteBatch::empty() const { return rep_->Count() == 0; }
std::size_t WriteBatch::count() const { return rep_->Count(); }
void WriteBatch::clear() { rep_->Clear(); }

}  // namespace flowstate::store
