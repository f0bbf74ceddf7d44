// SourceLocation: where a node of a definition was written (file, 1-based line and column).
#pragma once

#include <cstddef>
#include <string>

#include <fmt/format.h>

namespace flowstate::definition {

struct SourceLocation {
  std::string file;
  std::size_t line = 0;    ///< 1-based; 0 when unknown
  std::size_t column = 0;  ///< 1-based; 0 when unknown
};

}  // namespace flowstate::definition

template <>
struct fmt::formatter<flowstate::definition::SourceLocation> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const flowstate::definition::SourceLocation& location, Context& ctx) const {
    if (location.line == 0) return fmt::format_to(ctx.out(), "{}", location.file);
    return fmt::format_to(ctx.out(), "{}:{}:{}", location.file, location.line, location.column);
  }
};
