// append_utf8: a Unicode code point written as UTF-8, for readers that decode escapes
// (JSON's \uXXXX in definitions, JSONata strings) and functions that build text.
#pragma once

#include <string>

namespace flowstate::data {

/// Appends `code_point` (at most U+10FFFF) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace flowstate::data
