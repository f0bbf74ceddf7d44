// JsonPath: a compiled ASL path ("$.a.b[0]", "$$.Execution.Id", "$var.x", "$.items[*].id",
// "$..price", "$[?(@.n > 1)]"), evaluated without re-parsing. Reference paths (ResultPath,
// ItemsPath, *Path fields) are the subset that names exactly one node.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"

namespace flowstate::data {

/// Why a path matched nothing, in the words AWS's JsonPath library (Jayway) uses:
/// "No results for path: $['x']" or "Missing property in path $['a']".
struct PathMiss {
  std::string detail;
};

class JsonPath {
 public:
  enum class Root { input, context, variable };

  /// Parses `text`. On error returns a message such as "unexpected ']' at offset 4".
  static boost::system::result<JsonPath, std::string> compile(std::string_view text);

  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(JsonPath&&) noexcept;
  JsonPath(const JsonPath&);
  JsonPath& operator=(const JsonPath&);
  ~JsonPath();

  const std::string& text() const { return text_; }
  Root root() const;
  /// The variable name for Root::variable paths.
  const std::string& variable() const;
  /// Only member names and literal indexes: the path names at most one node.
  bool is_definite() const;
  /// A definite path over the input only ("$", "$.a", "$['a'][0]"): what ResultPath accepts.
  bool is_reference_path() const;
  /// Why evaluating this path always fails although it compiled (a bare word in a filter, as
  /// AWS's JsonPath library cannot read it); empty when it can be evaluated.
  const std::string& unevaluable() const;

  /// Query evaluation: a definite path yields the node (a copy); an indefinite one yields the
  /// array of all matches ([] when a wildcard, slice or filter matches nothing).
  boost::system::result<boost::json::value, PathMiss> evaluate(const PathScope& scope) const;

  /// The node a definite path names, or nullptr (no copy).
  const boost::json::value* find(const PathScope& scope) const;

  /// ResultPath semantics: writes `value` at this reference path inside `target`, creating
  /// missing objects on the way. "$" replaces `target`. Fails (returns false) when the path
  /// crosses a value that is not an object (e.g. target is a string): the caller raises
  /// States.ResultPathMatchFailure.
  bool assign(boost::json::value& target, boost::json::value value) const;

  struct Segment;  // defined in json_path.cpp

 private:
  JsonPath();
  std::string text_;
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

/// AWS's States.Runtime when the path of a field (a ".$" key, ErrorPath, CausePath) matches
/// nothing, detail only: "The JSONPath '$.x' specified for the field 'x.$' could not be found
/// in the input '<input>'" [conformance: base_scenarios.invalid_jsonpath~*].
asl::Failure field_path_not_found(const JsonPath& path, std::string_view field,
                                  const boost::json::value& input);

}  // namespace flowstate::data
