// Array intrinsics: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
// ArrayLength and ArrayUnique.
#include <cmath>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kArrayPartition = "States.ArrayPartition";
constexpr std::string_view kArrayContains = "States.ArrayContains";
constexpr std::string_view kArrayRange = "States.ArrayRange";
constexpr std::string_view kArrayGetItem = "States.ArrayGetItem";
constexpr std::string_view kArrayLength = "States.ArrayLength";
constexpr std::string_view kArrayUnique = "States.ArrayUnique";

// "ArrayRange ... can produce at most 1000 items" (intrinsic-functions.html).
constexpr std::int64_t kMaxRangeItems = 1000;

bool is_number(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

// JSON equality where numbers compare by value (boost::json's == tells int64 1 from 1.0, AWS
// does not) and object member order does not matter.
bool json_equal(const json::value& a, const json::value& b) {
  if (is_number(a) && is_number(b)) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_uint64() != b.is_uint64()) {
      const json::value& u = a.is_uint64() ? a : b;
      const json::value& i = a.is_uint64() ? b : a;
      return i.get_int64() >= 0 && static_cast<std::uint64_t>(i.get_int64()) == u.get_uint64();
    }
    return a == b;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!json_equal(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& member : x) {
      const json::value* other = y.if_contains(member.key());
      if (!other || !json_equal(member.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

// A hash consistent with json_equal: numbers hash by their double value, object members
// combine order-independently.
std::size_t json_hash(const json::value& v) {
  auto mix = [](std::size_t seed, std::size_t h) {
    return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  };
  if (is_number(v)) {
    double d = v.to_number<double>();
    if (d == 0) d = 0;  // -0.0 equals 0
    return std::hash<double>{}(d);
  }
  switch (v.kind()) {
    case json::kind::null:
      return 0x6e756c6c;
    case json::kind::bool_:
      return v.get_bool() ? 1 : 2;
    case json::kind::string:
      return std::hash<std::string_view>{}(v.get_string());
    case json::kind::array: {
      std::size_t seed = 3;
      for (const auto& element : v.get_array()) seed = mix(seed, json_hash(element));
      return seed;
    }
    case json::kind::object: {
      std::size_t sum = 5;
      for (const auto& member : v.get_object()) {
        sum += mix(std::hash<std::string_view>{}(member.key()), json_hash(member.value()));
      }
      return sum;
    }
    default:
      return 0;
  }
}

boost::system::result<json::array*, asl::Failure> array_argument(std::string_view function,
                                                                 std::string_view what,
                                                                 json::value& value) {
  if (!value.is_array()) {
    return invalid_argument(function, fmt::format("{} must be an array, but was {}", what,
                                                  describe_value(value)));
  }
  return &value.get_array();
}

}  // namespace

Result array(std::span<json::value> args) {
  json::array out;
  out.reserve(args.size());
  for (auto& arg : args) out.push_back(std::move(arg));
  return json::value(std::move(out));
}

// "Partitions an array into chunks of the given size; the last may be shorter". A
// non-integer chunk size is rounded; it must be positive (intrinsic-functions.html).
Result array_partition(std::span<json::value> args) {
  auto items = array_argument(kArrayPartition, "the first argument", args[0]);
  if (!items) return items.error();
  auto size = rounded_argument(kArrayPartition, "the chunk size", args[1]);
  if (!size) return size.error();
  if (*size <= 0) {
    return invalid_argument(kArrayPartition,
                            fmt::format("the chunk size must be a positive integer, but was {}",
                                        describe_value(args[1])));
  }
  auto chunk = static_cast<std::size_t>(*size);
  json::array out;
  json::array* source = *items;
  for (std::size_t i = 0; i < source->size(); i += chunk) {
    json::array part;
    for (std::size_t j = i; j < source->size() && j < i + chunk; ++j) {
      part.push_back(std::move((*source)[j]));
    }
    out.push_back(std::move(part));
  }
  return json::value(std::move(out));
}

Result array_contains(std::span<json::value> args) {
  auto items = array_argument(kArrayContains, "the first argument", args[0]);
  if (!items) return items.error();
  for (const auto& element : **items) {
    if (json_equal(element, args[1])) return json::value(true);
  }
  return json::value(false);
}

// "[first, last] by step": every argument is rounded; last is included when the steps land
// on it (recorded: array_range-00 ArrayRange(0, 9, 3) = [0,3,6,9], -01 with 10 gives the
// same); a zero step and more than 1000 items are errors (intrinsic-functions.html).
Result array_range(std::span<json::value> args) {
  auto first = rounded_argument(kArrayRange, "the start (first argument)", args[0]);
  if (!first) return first.error();
  auto last = rounded_argument(kArrayRange, "the end (second argument)", args[1]);
  if (!last) return last.error();
  auto step = rounded_argument(kArrayRange, "the step (third argument)", args[2]);
  if (!step) return step.error();
  if (*step == 0) return invalid_argument(kArrayRange, "the step must not be 0");
  json::array out;
  if ((*step > 0 && *first > *last) || (*step < 0 && *first < *last)) {
    return json::value(std::move(out));
  }
  std::int64_t count = (*last - *first) / *step + 1;
  if (count > kMaxRangeItems) {
    return invalid_argument(kArrayRange,
                            fmt::format("the range has {} items, more than the {} allowed", count,
                                        kMaxRangeItems));
  }
  out.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) out.emplace_back(*first + i * *step);
  return json::value(std::move(out));
}

Result array_get_item(std::span<json::value> args) {
  auto items = array_argument(kArrayGetItem, "the first argument", args[0]);
  if (!items) return items.error();
  const json::value& index = args[1];
  auto number = number_argument(kArrayGetItem, "the index", index);
  if (!number) return number.error();
  if (std::trunc(*number) != *number) {
    return invalid_argument(kArrayGetItem, fmt::format("the index must be an integer, but was {}",
                                                       describe_value(index)));
  }
  auto size = static_cast<double>((*items)->size());
  if (*number < 0 || *number >= size) {
    return invalid_argument(kArrayGetItem,
                            fmt::format("the index {} is out of bounds for an array of {} item{}",
                                        describe_value(index), (*items)->size(),
                                        (*items)->size() == 1 ? "" : "s"));
  }
  return std::move((**items)[static_cast<std::size_t>(*number)]);
}

Result array_length(std::span<json::value> args) {
  auto items = array_argument(kArrayLength, "the argument", args[0]);
  if (!items) return items.error();
  return json::value(static_cast<std::int64_t>((*items)->size()));
}

// Removes duplicates (JSON equality, numbers by value) and keeps the first of each, in order.
Result array_unique(std::span<json::value> args) {
  auto items = array_argument(kArrayUnique, "the argument", args[0]);
  if (!items) return items.error();
  json::array out;
  std::unordered_multimap<std::size_t, std::size_t> seen;  // hash -> index in `out`
  for (auto& element : **items) {
    std::size_t h = json_hash(element);
    auto [begin, end] = seen.equal_range(h);
    bool duplicate = false;
    for (auto it = begin; it != end && !duplicate; ++it) {
      duplicate = json_equal(out[it->second], element);
    }
    if (duplicate) continue;
    seen.emplace(h, out.size());
    out.push_back(std::move(element));
  }
  return json::value(std::move(out));
}

}  // namespace flowstate::data::intrinsics
