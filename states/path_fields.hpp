// The path-valued fields of the JSONPath input/output pipeline: InputPath and OutputPath
// (FilterPath) and ResultPath, with the meaning of "absent" and "null" for each.
#pragma once

#include <optional>
#include <string_view>

#include "engine/data/json_path.hpp"
#include "engine/definition/field_reader.hpp"

namespace flowstate::states {

/// InputPath / OutputPath: absent means "$" (the whole value), null means {}.
struct FilterPath {
  enum class Mode { whole, empty, path } mode = Mode::whole;
  std::optional<data::JsonPath> path;
};

/// ResultPath (also a Catcher's): absent means "$" (the result replaces the input), null
/// discards the result and keeps the input.
struct ResultPath {
  enum class Mode { replace, discard, path } mode = Mode::replace;
  std::optional<data::JsonPath> path;
};

std::optional<FilterPath> compile_filter_path(definition::FieldReader& reader,
                                              std::string_view field);
std::optional<ResultPath> compile_result_path(definition::FieldReader& reader,
                                              std::string_view field);

/// A "...Path" field that must name one node (SecondsPath, ItemsPath, MaxConcurrencyPath, ...);
/// nullopt when absent or after a diagnostic that shows `example` as the right form.
std::optional<data::JsonPath> compile_reference_path(definition::FieldReader& reader,
                                                     std::string_view field,
                                                     std::string_view example);

}  // namespace flowstate::states
