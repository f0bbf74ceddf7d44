// IntegerPicture: an XPath F&O 4.6.1 integer picture ("0001", "#,##0", "1;o", "I", "w",
// "A"...) analysed once, to format integers with it or parse them back. $formatInteger,
// $parseInteger and the date/time components ([D01], [Y0001], [Dwo]) use it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowstate::jsonata {

struct IntegerPicture {
  enum class Kind { decimal, alphabetic_upper, alphabetic_lower, roman_upper, roman_lower, words_lower,
                    words_upper, words_title };
  Kind kind = Kind::decimal;
  bool ordinal = false;
  char32_t zero = U'0';  ///< the digit family's zero
  std::size_t mandatory_digits = 1;
  std::size_t total_digits = 1;  ///< mandatory and optional ('#') positions
  /// Separators as (position counted in digits from the right, text); repeated every
  /// `regular_group` digits when the grouping is regular.
  std::vector<std::pair<std::size_t, std::string>> separators;
  std::size_t regular_group = 0;
};

/// Raises D3130 (unsupported token) or D3131 (digits from different families).
IntegerPicture analyse_integer_picture(std::string_view picture, std::size_t position);
std::string format_integer(double value, const IntegerPicture& picture);
/// The value `text` spells in `picture`; nullopt when it does not match.
std::optional<double> parse_integer(std::string_view text, const IntegerPicture& picture);

/// English words for a non-negative integer ("three thousand, seven hundred and thirty").
std::string integer_words(double value, bool ordinal);
/// 1st 2nd 3rd 4th...
std::string ordinal_suffix(double value);

}  // namespace flowstate::jsonata
