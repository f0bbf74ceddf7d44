// Lexer: splits JSONata text into tokens on demand (operators, names, `quoted names`,
// $variables, strings, numbers, regex literals), skipping /* comments */.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flowstate::jsonata {

struct Token {
  enum class Type { end, op, name, variable, string, number, value, regex };
  Type type = Type::end;
  std::string text;      ///< operator, name, variable name, decoded string, regex pattern
  double number = 0;
  std::string flags;     ///< regex flags
  std::size_t position = 0;  ///< offset just after the token (JSONata's convention)
};

class Lexer {
 public:
  /// `jsonata_2_1_operators`: whether "??" and "?:" are operators (JSONata 2.1) or two
  /// tokens each, as in JSONata 2.0 (what Step Functions runs).
  explicit Lexer(std::string_view text, bool jsonata_2_1_operators = true)
      : text_(text), jsonata_2_1_operators_(jsonata_2_1_operators) {}
  /// The next token; `/` starts a regex when `prefix` (an operand is expected).
  Token next(bool prefix);
  /// The raw text of a function signature "<...>" whose '<' is at offset `start`.
  std::string signature(std::size_t start);
  std::size_t offset() const { return pos_; }

 private:
  std::string_view text_;
  bool jsonata_2_1_operators_ = true;
  std::size_t pos_ = 0;
};

}  // namespace flowstate::jsonata
