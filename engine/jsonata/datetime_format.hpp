// Date/time pictures ($fromMillis, $toMillis, $now): XPath F&O 9.8 picture strings such as
// "[Y0001]-[M01]-[D01]" and "[FNn], [D1o] [MNn]", and ISO 8601 when no picture is given.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

/// Milliseconds since the epoch as text: ISO 8601 (UTC) without a picture.
std::string format_datetime(double millis, const Value* picture, const Value* timezone, std::size_t position);
/// Text to milliseconds since the epoch; nullopt when the text does not match the picture.
std::optional<double> parse_datetime(std::string_view text, const Value* picture, std::size_t position);

}  // namespace flowstate::jsonata
