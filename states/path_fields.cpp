#include "states/path_fields.hpp"

#include <fmt/format.h>

namespace flowstate::states {

std::optional<FilterPath> compile_filter_path(definition::FieldReader& reader,
                                              std::string_view field) {
  const boost::json::value* value = reader.field(field);
  if (!value) return FilterPath{};
  if (value->is_null()) return FilterPath{FilterPath::Mode::empty, std::nullopt};
  if (!value->is_string()) {
    reader.error_at(*value, fmt::format("'{}' must be a path string or null, not {}", field,
                                        definition::describe_kind(*value)));
    return std::nullopt;
  }
  auto path = data::JsonPath::compile(value->get_string());
  if (!path) {
    reader.error_at(*value, fmt::format("'{}': {}", field, path.error()));
    return std::nullopt;
  }
  if (path->text() == "$") return FilterPath{};
  return FilterPath{FilterPath::Mode::path, std::move(*path)};
}

std::optional<ResultPath> compile_result_path(definition::FieldReader& reader,
                                              std::string_view field) {
  const boost::json::value* value = reader.field(field);
  if (!value) return ResultPath{};
  if (value->is_null()) return ResultPath{ResultPath::Mode::discard, std::nullopt};
  if (!value->is_string()) {
    reader.error_at(*value, fmt::format("'{}' must be a reference path string or null, not {}",
                                        field, definition::describe_kind(*value)));
    return std::nullopt;
  }
  auto path = data::JsonPath::compile(value->get_string());
  if (!path) {
    reader.error_at(*value, fmt::format("'{}': {}", field, path.error()));
    return std::nullopt;
  }
  if (!path->is_reference_path()) {
    reader.error_at(*value, fmt::format("'{}' must be a reference path into the input (only "
                                        "'.name', \"['name']\" and '[index]' steps from '$'), "
                                        "not '{}'",
                                        field, path->text()));
    return std::nullopt;
  }
  if (path->text() == "$") return ResultPath{};
  return ResultPath{ResultPath::Mode::path, std::move(*path)};
}

std::optional<data::JsonPath> compile_reference_path(definition::FieldReader& reader,
                                                     std::string_view field,
                                                     std::string_view example) {
  auto text = reader.string(field);
  if (!text) return std::nullopt;
  auto path = data::JsonPath::compile(*text);
  if (!path || !path->is_definite()) {
    reader.error_at(*reader.field(field), fmt::format("'{}' must be a reference path such as "
                                                      "'{}', not '{}'",
                                                      field, example, *text));
    return std::nullopt;
  }
  return std::move(*path);
}

}  // namespace flowstate::states
