#include "engine/definition/field_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace flowstate::definition {

namespace json = boost::json;

std::string_view describe_kind(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

FieldReader::FieldReader(const json::value& node, std::string owner, const Document& document,
                         Diagnostics& diagnostics, Diagnostics* unsupported)
    : node_(node),
      object_(node.if_object()),
      owner_(std::move(owner)),
      document_(document),
      diagnostics_(diagnostics),
      unsupported_(unsupported) {
  if (!object_) error(fmt::format("{} must be an object, not {}", owner_, describe_kind(node)));
}

FieldReader::FieldReader(const json::value& node, std::string owner, FieldReader& parent)
    : FieldReader(node, std::move(owner), parent.document_, parent.diagnostics_,
                  parent.unsupported_) {}

void FieldReader::note_unsupported(std::string_view name, std::string message) {
  if (!unsupported_) return;
  const json::value* value = object_ ? object_->if_contains(name) : nullptr;
  unsupported_->add(value ? document_.key_location_of(*value) : document_.location_of(node_),
                    std::move(message));
}

bool FieldReader::has(std::string_view name) const {
  return object_ && object_->contains(name);
}

void FieldReader::allow(std::initializer_list<std::string_view> names) {
  known_.insert(known_.end(), names.begin(), names.end());
}

const json::value* FieldReader::field(std::string_view name, Presence presence) {
  known_.push_back(name);
  if (!object_) return nullptr;
  const json::value* value = object_->if_contains(name);
  if (!value && presence == Presence::required)
    error(fmt::format("{} is missing the required field '{}'", owner_, name));
  return value;
}

std::optional<std::string> FieldReader::string(std::string_view name, Presence presence) {
  const json::value* value = field(name, presence);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    error_at(*value, fmt::format("'{}' must be a string, not {}", name, describe_kind(*value)));
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view name) {
  const json::value* value = field(name);
  if (!value) return std::nullopt;
  if (!value->is_bool()) {
    error_at(*value, fmt::format("'{}' must be true or false, not {}", name, describe_kind(*value)));
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view name, std::int64_t min,
                                                 std::int64_t max, Presence presence) {
  const json::value* value = field(name, presence);
  if (!value) return std::nullopt;
  std::optional<std::int64_t> n;
  if (value->is_int64()) n = value->get_int64();
  else if (value->is_uint64() && value->get_uint64() <= std::uint64_t(INT64_MAX))
    n = static_cast<std::int64_t>(value->get_uint64());
  if (!n) {
    error_at(*value, fmt::format("'{}' must be an integer, not {}", name, describe_kind(*value)));
    return std::nullopt;
  }
  if (*n < min || *n > max) {
    error_at(*value, fmt::format("'{}' must be between {} and {}, not {}", name, min, max, *n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> FieldReader::number(std::string_view name, double min, double max) {
  const json::value* value = field(name);
  if (!value) return std::nullopt;
  if (!value->is_number()) {
    error_at(*value, fmt::format("'{}' must be a number, not {}", name, describe_kind(*value)));
    return std::nullopt;
  }
  double d = value->to_number<double>();
  if (d < min || d > max) {
    if (d < min && max >= 1e9)
      error_at(*value, fmt::format("'{}' must be at least {:.1f}, not {}", name, min, d));
    else
      error_at(*value, fmt::format("'{}' must be between {} and {}, not {}", name, min, max, d));
    return std::nullopt;
  }
  return d;
}

std::optional<std::vector<std::string>> FieldReader::string_list(std::string_view name,
                                                                 Presence presence) {
  const json::value* value = field(name, presence);
  if (!value) return std::nullopt;
  if (!value->is_array() || value->get_array().empty()) {
    error_at(*value, fmt::format("'{}' must be a non-empty array of strings", name));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& element : value->get_array()) {
    if (!element.is_string()) {
      error_at(element, fmt::format("'{}' must hold strings, not {}", name, describe_kind(element)));
      return std::nullopt;
    }
    out.emplace_back(element.get_string());
  }
  return out;
}

void FieldReader::error_at(const json::value& node, std::string message) {
  diagnostics_.add(document_.location_of(node), std::move(message));
}

void FieldReader::error_at_field(std::string_view name, std::string message) {
  const json::value* value = object_ ? object_->if_contains(name) : nullptr;
  diagnostics_.add(value ? document_.key_location_of(*value) : document_.location_of(node_),
                   std::move(message));
}

void FieldReader::error(std::string message) {
  diagnostics_.add(document_.location_of(node_), std::move(message));
}

namespace {

// Levenshtein distance, case-insensitive: how far a misspelt field name is from a known one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string_view> closest_name(std::string_view word,
                                             std::span<const std::string_view> candidates) {
  std::optional<std::string_view> closest;
  std::size_t best = 3;  // at most two edits away
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best) best = distance, closest = candidate;
  }
  return closest;
}

void FieldReader::report_unknown_fields() {
  if (!object_) return;
  std::vector<std::string_view> accepted = known_;
  std::sort(accepted.begin(), accepted.end());
  accepted.erase(std::unique(accepted.begin(), accepted.end()), accepted.end());
  for (const auto& member : *object_) {
    std::string_view key = member.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::optional<std::string_view> closest = closest_name(key, accepted);
    std::string message = fmt::format("unknown field '{}' in {}", key, owner_);
    if (closest)
      message += fmt::format("; did you mean '{}'?", *closest);
    else if (!accepted.empty())
      message += fmt::format("; expected one of {}", fmt::join(accepted, ", "));
    diagnostics_.add(document_.key_location_of(member.value()), std::move(message));
  }
}

}  // namespace flowstate::definition
