// DefinitionSubstitutions: the ${Name} placeholders that CloudFormation and SAM fill in a
// definition's text before Step Functions sees it, filled here the same way (before parsing).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/diagnostic.hpp"
#include "engine/definition/source_location.hpp"

namespace flowstate::definition {

/// Placeholder name → the text that replaces it.
using Substitutions = std::map<std::string, std::string, std::less<>>;

/// A `${Name}` in a definition's text; `location` is where its `$` is.
struct Placeholder {
  std::string name;
  SourceLocation location;
};

struct FilledDefinition;

/// Where a position in a filled text was in the text as written, so that a diagnostic found
/// in the filled text points into the file (a value longer than its placeholder moves what
/// follows it on its line). A position inside a value is the placeholder's.
class FilledPositions {
 public:
  SourceLocation original(const SourceLocation& filled) const;

 private:
  friend FilledDefinition fill_placeholders(std::string_view, const Substitutions&, std::string_view);
  struct Replacement {
    std::size_t original_offset, original_length, filled_offset, filled_length;
  };
  std::vector<Replacement> replacements_;  // in text order
  std::vector<std::size_t> original_lines_, filled_lines_;  // the offset each line starts at
};

struct FilledDefinition {
  std::string text;                   ///< the text with every placeholder named in the map filled
  std::vector<Placeholder> unfilled;  ///< the placeholders the map does not name, in text order
  FilledPositions positions;
};

/// Fills `text` as CloudFormation's Fn::Sub fills a string, which is how DefinitionSubstitutions
/// are applied: every `${Name}` whose Name the map holds becomes its value, inserted verbatim
/// (inside a JSON string too, unescaped) in one pass (a value's own `${...}` stays as it is);
/// `${!Name}` is the literal text `${Name}`. A placeholder's Name is letters, digits and
/// `_ . :` (parameters, logical IDs, `Resource.Attribute`, `AWS::Region`); other `${...}`
/// text (a shell's `${VAR:-x}`) is not a placeholder and stays. `file` names the positions.
FilledDefinition fill_placeholders(std::string_view text, const Substitutions& values, std::string_view file);

/// Whether `name` may be a placeholder's Name (what `--substitute NAME=VALUE` accepts).
bool is_placeholder_name(std::string_view name);

/// "the placeholder ${Name} has no value: ..." — the error (or warning) for an unfilled one.
std::string unfilled_message(const Placeholder& placeholder);

/// fill_placeholders with every unfilled placeholder added to `diagnostics` as an error.
std::string fill_placeholders(std::string_view text, const Substitutions& values, std::string_view file,
                              Diagnostics& diagnostics);

}  // namespace flowstate::definition
