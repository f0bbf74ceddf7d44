// UTF-8 text as Unicode characters (code points): $length, $substring, $pad, $split("") and
// regex match indexes count characters, as the JSONata suite expects ("𝄞💩" has length 2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/data/utf8_encoding.hpp"

namespace flowstate::jsonata {

/// Code points of UTF-8 text (a truncated sequence passes through byte by byte).
std::vector<char32_t> code_points(std::string_view text);
/// UTF-8 of points[begin, end).
std::string to_utf8(const std::vector<char32_t>& points, std::size_t begin, std::size_t end);
using data::append_utf8;

}  // namespace flowstate::jsonata
