// The substitution options of `run`, `validate`, `test-state` and `server` (--substitute
// NAME=VALUE, --substitutions FILE): the values of a definition's ${Name} placeholders
// (definition_substitutions.hpp), read with clear errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/definition/definition_substitutions.hpp"

namespace flowstate::cli {

struct SubstitutionSettings {
  std::vector<std::string> pairs;  ///< --substitute NAME=VALUE, in the order given
  std::string file;                ///< --substitutions FILE; "" when not given
  bool given() const { return !pairs.empty() || !file.empty(); }
};

void add_substitution_options(CLI::App& command, SubstitutionSettings& settings);

/// The values: the file's, then each --substitute (a later one wins). Nullopt after printing
/// one line per mistake (a pair without '=', a name that cannot be a placeholder's, a file
/// that is not a map of names to strings, numbers or booleans, with its line:column).
std::optional<definition::Substitutions> load_substitutions(const SubstitutionSettings& settings);

}  // namespace flowstate::cli
