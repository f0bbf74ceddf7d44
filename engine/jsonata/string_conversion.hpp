// The text of a value as $string and the & operator produce it: strings as they are, other
// values as JSON with numbers at 15 significant digits, functions as "".
#pragma once

#include <string>

#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

/// Raises D3001 for a non-finite number.
std::string to_text(const Value& value, bool pretty = false);
/// JSON text of a value (JSON.stringify's layout; functions as "").
void append_json_text(std::string& out, const Value& value, bool pretty, int indent = 0);
/// A number rounded to 15 significant digits, in JavaScript's notation.
std::string number_text(double value);

}  // namespace flowstate::jsonata
