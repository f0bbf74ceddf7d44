#include "engine/store/pending_writes.hpp"

#include <iterator>

#include "engine/store/key_encoding.hpp"

namespace flowstate::store {

void PendingWrites::apply(const WriteBatch::Operation& operation) {
  switch (operation.op) {
    case WriteBatch::Op::put:
      entries_.insert_or_assign(std::string(operation.key), std::string(operation.value));
      return;
    case WriteBatch::Op::erase:
      if (below_ == Below::nothing) {
        if (auto found = entries_.find(operation.key); found != entries_.end()) entries_.erase(found);
      } else {
        entries_.insert_or_assign(std::string(operation.key), std::nullopt);
      }
      return;
    case WriteBatch::Op::erase_prefix: {
      std::string begin(operation.key);
      std::string end = prefix_successor(begin);
      entries_.erase(entries_.lower_bound(begin), end.empty() ? entries_.end() : entries_.lower_bound(end));
      if (below_ == Below::nothing) return;
      // Merge with the ranges it overlaps or touches, so they stay disjoint.
      auto it = erased_.upper_bound(begin);
      if (it != erased_.begin() && std::prev(it)->second >= begin) --it;
      while (it != erased_.end() && it->first <= end) {
        if (it->first < begin) begin = it->first;
        if (it->second > end) end = it->second;
        it = erased_.erase(it);
      }
      erased_.emplace(std::move(begin), std::move(end));
      return;
    }
  }
}

bool PendingWrites::range_erased(std::string_view key) const {
  auto it = erased_.upper_bound(key);
  if (it == erased_.begin()) return false;
  --it;
  return key >= it->first && key < it->second;
}

PendingWrites::Answer PendingWrites::lookup(std::string_view key, std::string_view* value) const {
  if (auto found = entries_.find(key); found != entries_.end()) {
    if (!found->second) return Answer::erased;
    if (value) *value = *found->second;
    return Answer::value;
  }
  return range_erased(key) ? Answer::erased : Answer::unknown;
}

bool PendingWrites::hides(std::string_view key) const {
  return entries_.find(key) != entries_.end() || range_erased(key);
}

}  // namespace flowstate::store
