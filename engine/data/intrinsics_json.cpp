// JSON intrinsics: States.StringToJson, States.JsonToString and States.JsonMerge.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kStringToJson = "States.StringToJson";
constexpr std::string_view kJsonMerge = "States.JsonMerge";

// Java's String.hashCode over the UTF-16 code units of a UTF-8 key.
std::uint32_t java_hash_code(std::string_view key) {
  std::uint32_t h = 0;
  auto add_unit = [&](std::uint32_t unit) { h = 31 * h + unit; };
  for (std::size_t i = 0; i < key.size();) {
    auto lead = static_cast<unsigned char>(key[i]);
    std::uint32_t cp = lead;
    std::size_t n = 1;
    if (lead >= 0xF0) {
      n = 4;
      cp = lead & 0x07;
    } else if (lead >= 0xE0) {
      n = 3;
      cp = lead & 0x0F;
    } else if (lead >= 0xC0) {
      n = 2;
      cp = lead & 0x1F;
    }
    n = std::min(n, key.size() - i);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(key[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      add_unit(0xD800 + (cp >> 10));
      add_unit(0xDC00 + (cp & 0x3FF));
    } else {
      add_unit(cp);
    }
  }
  return h;
}

// AWS builds the merged object in a java.util.HashMap, so its members come out in HashMap
// iteration order: by bucket (spread hash & (capacity - 1)), then insertion order. Recorded:
// json_merge-00 gives a, b, c, d from {a, b, d} + {a, c, d}, and
// json_merge_escaped_argument puts "constant_input_field" (bucket 1) before
// "constant_in_literal" (bucket 15). Capacity is HashMap's: 16, doubled past 0.75 load.
json::object in_hash_map_order(json::object merged) {
  std::size_t capacity = 16;
  while (static_cast<double>(merged.size()) > 0.75 * static_cast<double>(capacity)) capacity *= 2;
  struct Entry {
    std::size_t bucket;
    std::size_t position;
    json::key_value_pair* member;
  };
  std::vector<Entry> entries;
  entries.reserve(merged.size());
  std::size_t position = 0;
  for (auto& member : merged) {
    std::uint32_t h = java_hash_code(member.key());
    h ^= h >> 16;
    entries.push_back({h & (capacity - 1), position++, &member});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.bucket < b.bucket; });
  json::object out(merged.size());
  for (auto& entry : entries) {
    out.emplace(entry.member->key(), std::move(entry.member->value()));
  }
  return out;
}

boost::system::result<json::object*, asl::Failure> object_argument(std::string_view what,
                                                                   json::value& value) {
  if (!value.is_object()) {
    return invalid_argument(kJsonMerge, fmt::format("{} must be an object, but was {}", what,
                                                    describe_value(value)));
  }
  return &value.get_object();
}

}  // namespace

// Parses a string holding JSON. An empty or blank string gives null (recorded:
// string_to_json-00 and -01).
Result string_to_json(std::span<json::value> args) {
  auto text = string_argument(kStringToJson, "the argument", args[0]);
  if (!text) return text.error();
  if (std::all_of(text->begin(), text->end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return json::value(nullptr);
  }
  auto parsed = parse_json(*text);
  if (!parsed) {
    return invalid_argument(kStringToJson,
                            fmt::format("the argument is not valid JSON ({} at line {}, column "
                                        "{}): {}",
                                        parsed.error().message, parsed.error().line,
                                        parsed.error().column, describe_value(args[0])));
  }
  return std::move(*parsed);
}

// Compact JSON text, numbers as AWS prints them (recorded: json_to_string-07 gives
// "{\"Arg1\":1,\"Arg2\":[]}").
Result json_to_string(std::span<json::value> args) {
  return json::value(json::string(serialize_json(args[0])));
}

// A shallow merge: the second object's members replace the first's, nested objects are not
// merged (recorded: json_merge-00). "the third argument must be false": AWS has no deep merge.
Result json_merge(std::span<json::value> args) {
  auto first = object_argument("the first argument", args[0]);
  if (!first) return first.error();
  auto second = object_argument("the second argument", args[1]);
  if (!second) return second.error();
  if (args[2] != json::value(false)) {
    return invalid_argument(kJsonMerge,
                            fmt::format("the third argument must be false (deep merge is not "
                                        "supported), but was {}",
                                        describe_value(args[2])));
  }
  json::object merged = std::move(**first);
  for (auto& member : **second) merged[member.key()] = std::move(member.value());
  return json::value(in_hash_map_order(std::move(merged)));
}

}  // namespace flowstate::data::intrinsics
