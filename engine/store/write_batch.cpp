#include "engine/store/write_batch.hpp"

#include <stdexcept>

namespace flowstate::store {

void WriteBatch::append_field(std::string_view bytes) {
  append_u32_be(encoded_, static_cast<std::uint32_t>(bytes.size()));
  encoded_.append(bytes);
}

void WriteBatch::put(std::string_view key, std::string_view value) {
  encoded_.push_back(static_cast<char>(Op::put));
  append_field(key);
  append_field(value);
  ++count_;
}

void WriteBatch::erase(std::string_view key) {
  encoded_.push_back(static_cast<char>(Op::erase));
  append_field(key);
  ++count_;
}

void WriteBatch::erase_prefix(std::string_view prefix) {
  if (prefix_successor(prefix).empty())
    throw std::invalid_argument("WriteBatch::erase_prefix: the prefix has no successor (empty or all 0xFF)");
  encoded_.push_back(static_cast<char>(Op::erase_prefix));
  append_field(prefix);
  ++count_;
}

}  // namespace flowstate::store
