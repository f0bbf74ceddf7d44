// UTF-8 text measured and cut in UTF-16 code units, as JavaScript strings are: $length,
// $substring, $pad and regex indexes count the way JSONata (a JavaScript library) does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flowstate::jsonata {

/// Code points of UTF-8 text (invalid bytes pass through as single code points).
std::vector<char32_t> code_points(std::string_view text);
std::string to_utf8(const std::vector<char32_t>& points, std::size_t begin, std::size_t end);
void append_utf8(std::string& out, char32_t cp);

/// UTF-16 code units of UTF-8 text, and back (unpaired surrogates encoded as such).
std::u16string to_utf16(std::string_view text);
std::string from_utf16(std::u16string_view text);

std::size_t utf16_length(std::string_view text);
/// The UTF-16 offset of a UTF-8 byte offset.
std::size_t utf16_offset(std::string_view text, std::size_t byte_offset);

}  // namespace flowstate::jsonata
