// FieldReader: typed access to the fields of one JSON object in a definition (a state, a
// retrier, a branch). Every missing, mistyped or unknown field becomes a Diagnostic at the
// node's position; callers get optionals and never see raw positions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"

namespace flowstate::definition {

enum class Presence { optional, required };

class FieldReader {
 public:
  /// `owner` names the object in messages, e.g. "Pass state 'Hello'" or "Retry[0]".
  FieldReader(const boost::json::value& node, std::string owner, const Document& document,
              Diagnostics& diagnostics, Diagnostics* unsupported = nullptr);
  /// A reader for an object nested in `parent`'s (a retrier, a catcher, a rule): same document,
  /// diagnostics and unsupported-feature list.
  FieldReader(const boost::json::value& node, std::string owner, FieldReader& parent);

  bool is_object() const { return object_ != nullptr; }
  const boost::json::value& node() const { return node_; }
  const std::string& owner() const { return owner_; }
  const Document& document() const { return document_; }
  Diagnostics& diagnostics() { return diagnostics_; }

  /// The raw field, marked as known. Reports it when required and absent.
  const boost::json::value* field(std::string_view name, Presence presence = Presence::optional);
  bool has(std::string_view name) const;
  /// Marks fields as known without reading them.
  void allow(std::initializer_list<std::string_view> names);

  std::optional<std::string> string(std::string_view name, Presence presence = Presence::optional);
  std::optional<bool> boolean(std::string_view name);
  /// An integer in [min, max]; 1.0-style decimals are refused as AWS refuses them.
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max,
                                      Presence presence = Presence::optional);
  std::optional<double> number(std::string_view name, double min, double max);
  /// A non-empty array of strings.
  std::optional<std::vector<std::string>> string_list(std::string_view name,
                                                      Presence presence = Presence::optional);

  /// Diagnostic at a node of this object.
  void error_at(const boost::json::value& node, std::string message);
  /// Diagnostic at the key of field `name` (or the object when absent).
  void error_at_field(std::string_view name, std::string message);
  /// Diagnostic at the object itself.
  void error(std::string message);
  /// Records a feature that validates but that the runtime cannot run yet (Plan::unsupported),
  /// at the key of field `name`. Ignored when the reader has no unsupported-feature list.
  void note_unsupported(std::string_view name, std::string message);
  Diagnostics* unsupported() const { return unsupported_; }

  /// Reports every field that no call marked as known: "unknown field 'X' in Pass state 'A'",
  /// completed by "; did you mean 'Y'?" for a near miss or by the list of accepted fields.
  void report_unknown_fields();

 private:
  const boost::json::value& node_;
  const boost::json::object* object_;
  std::string owner_;
  const Document& document_;
  Diagnostics& diagnostics_;
  Diagnostics* unsupported_ = nullptr;
  std::vector<std::string_view> known_;
};

/// The candidate at most two (case-insensitive) edits from `word`, for "did you mean" hints.
std::optional<std::string_view> closest_name(std::string_view word,
                                             std::span<const std::string_view> candidates);

/// A JSON kind in words, for messages: "a string", "an object", "a number" ...
std::string_view describe_kind(const boost::json::value& value);

}  // namespace flowstate::definition
