// CatchPolicy: a state's compiled Catch list; select() finds the catcher for an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/data/payload_template.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/path_fields.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

struct Catcher {
  std::vector<std::string> error_equals;
  std::string next_name;
  std::size_t next = 0;  ///< resolved by the compiler
  /// Where the error output goes: absent = "$" (it replaces the input).
  ResultPath result_path;
  /// Variables set when this catcher fires ("$", or $states.errorOutput, is the error output).
  Assignment assign;
  std::optional<JsonataTemplate> output;  ///< JSONata: the state's output when it fires
};

class CatchPolicy {
 public:
  std::vector<Catcher> catchers;

  bool empty() const { return catchers.empty(); }
  /// The first catcher whose ErrorEquals matches, or nullptr.
  const Catcher* select(std::string_view error) const;
};

/// Compiles a "Catch" array. A catcher accepts ResultPath in JSONPath states and Output in
/// JSONata states; Assign in both.
CatchPolicy compile_catch_policy(definition::FieldReader& state, QueryLanguage language);

}  // namespace flowstate::states
