// Number pictures: $formatNumber (XPath F&O 4.7.5 decimal-format pictures), $formatInteger
// and $parseInteger (XPath F&O 4.6.1 integer pictures: digits, roman numerals, words).
#pragma once

#include "engine/jsonata/function_library.hpp"

namespace flowstate::jsonata {

/// Rounds half to even at `precision` decimal places ($round; negative precision rounds
/// to tens, hundreds...).
double round_half_even(double value, int precision);

void add_number_format_functions(NativeTable& table);

}  // namespace flowstate::jsonata
