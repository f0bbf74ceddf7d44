#include "tools/flowstate/json_difference.hpp"

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"

namespace flowstate::cli {

namespace json = boost::json;

namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string member_path(const std::string& path, std::string_view key) {
  if (is_identifier(key)) return fmt::format("{}.{}", path, key);
  return fmt::format("{}[{}]", path, data::serialize_json(json::value(json::string(key))));
}

bool same_number(const json::value& a, const json::value& b) {
  if (!a.is_number() || !b.is_number()) return false;
  if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
  if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
  if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
  // One signed, one unsigned: equal only when both are non-negative and the same.
  std::int64_t signed_value = a.is_int64() ? a.get_int64() : b.get_int64();
  std::uint64_t unsigned_value = a.is_uint64() ? a.get_uint64() : b.get_uint64();
  return signed_value >= 0 && static_cast<std::uint64_t>(signed_value) == unsigned_value;
}

void compare(const json::value& expected, const json::value& actual, const std::string& path,
             std::vector<std::string>& out, std::size_t limit) {
  if (out.size() >= limit) return;
  if (expected.is_number() && actual.is_number()) {
    if (!same_number(expected, actual))
      out.push_back(fmt::format("{}: expected {}, got {}", path, data::serialize_json(expected),
                                data::serialize_json(actual)));
    return;
  }
  if (expected.kind() != actual.kind() && !(expected.is_number() && actual.is_number())) {
    out.push_back(fmt::format("{}: expected {}, got {}", path, data::serialize_json(expected),
                              data::serialize_json(actual)));
    return;
  }
  if (const json::object* want = expected.if_object()) {
    const json::object& got = actual.get_object();
    for (const auto& [key, value] : *want) {
      std::string at = member_path(path, key);
      if (const json::value* found = got.if_contains(key)) compare(value, *found, at, out, limit);
      else if (out.size() < limit) out.push_back(fmt::format("{}: missing (expected {})", at, data::serialize_json(value)));
    }
    for (const auto& [key, value] : got)
      if (!want->contains(key) && out.size() < limit)
        out.push_back(fmt::format("{}: not expected (got {})", member_path(path, key), data::serialize_json(value)));
    return;
  }
  if (const json::array* want = expected.if_array()) {
    const json::array& got = actual.get_array();
    std::size_t common = std::min(want->size(), got.size());
    for (std::size_t i = 0; i < common; ++i) compare((*want)[i], got[i], fmt::format("{}[{}]", path, i), out, limit);
    if (want->size() != got.size() && out.size() < limit)
      out.push_back(fmt::format("{}: expected {} items, got {}", path, want->size(), got.size()));
    return;
  }
  if (expected != actual)
    out.push_back(fmt::format("{}: expected {}, got {}", path, data::serialize_json(expected),
                              data::serialize_json(actual)));
}

}  // namespace

std::vector<std::string> json_differences(const json::value& expected, const json::value& actual, std::size_t limit) {
  std::vector<std::string> out;
  compare(expected, actual, "$", out, limit);
  return out;
}

}  // namespace flowstate::cli
