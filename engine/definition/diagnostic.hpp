// Diagnostic: one problem found in a user's definition, printed as
// "file:line:col: error: message". Diagnostics are collected, never thrown.
#pragma once

#include <string>
#include <vector>

#include "engine/definition/source_location.hpp"

namespace flowstate::definition {

struct Diagnostic {
  SourceLocation location;
  std::string message;
};

class Diagnostics {
 public:
  void add(SourceLocation location, std::string message);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  /// Sorted by line and column, duplicates removed.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
};

std::string to_string(const Diagnostic& diagnostic);

}  // namespace flowstate::definition

template <>
struct fmt::formatter<flowstate::definition::Diagnostic> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const flowstate::definition::Diagnostic& d, Context& ctx) const {
    return fmt::format_to(ctx.out(), "{}: error: {}", d.location, d.message);
  }
};
