// JSON text ⇄ boost::json::value with AWS's number fidelity: doubles parse correctly rounded
// and print in their shortest round-trip form (Boost.JSON 1.81 drifts by 1 ulp on some and
// prints overflow as "-Infinity"); literals that overflow a double are refused; nesting is
// capped at asl::kMaxJsonDepth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

namespace flowstate::data {

struct JsonSyntaxError {
  std::string message;  ///< what is wrong, e.g. "syntax error" or "number out of range"
  std::size_t line = 1;    ///< 1-based
  std::size_t column = 1;  ///< 1-based
};

/// Parses one JSON document (surrounding whitespace allowed, nothing else).
boost::system::result<boost::json::value, JsonSyntaxError> parse_json(std::string_view text);

/// Compact JSON text (no spaces), as AWS prints payloads.
std::string serialize_json(const boost::json::value& value);
void append_json(std::string& out, const boost::json::value& value);
void append_json(std::string& out, const boost::json::object& object);
/// `text` as a JSON string: quoted and escaped.
void append_json_string(std::string& out, std::string_view text);
/// Indented JSON text for people (2 spaces), numbers as in serialize_json.
std::string serialize_json_pretty(const boost::json::value& value);

/// A double in shortest round-trip form, JSON-valid; integral values keep a ".0" so that
/// 1.0 stays a decimal, as AWS echoes it.
void append_double(std::string& out, double value);

/// Size in bytes of the compact serialization (the unit of AWS's 256 KiB payload limit).
std::size_t serialized_size(const boost::json::value& value);
/// Whether serialized_size(value) > limit, without walking further than needed.
bool serialized_size_exceeds(const boost::json::value& value, std::size_t limit);

}  // namespace flowstate::data
