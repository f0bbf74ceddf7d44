// Reading one member of a JSON object that flowstate wrote itself (execution and Map Run
// records, checkpoints, the server's registries, its answers): a string or an integer, with a
// default when the member is absent or of another type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace flowstate::data {

/// The member's text; "" when it is absent or not a string.
inline std::string string_member(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

/// The member's integer value (signed or unsigned); 0 when it is absent or not an integer.
inline std::int64_t integer_member(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (!value) return 0;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  return 0;
}

}  // namespace flowstate::data
