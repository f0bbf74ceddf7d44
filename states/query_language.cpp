#include "states/query_language.hpp"

#include "engine/data/json_codec.hpp"

#include "engine/asl/error_name.hpp"

#include <array>
#include <cctype>
#include <utility>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/payload_template.hpp"

namespace flowstate::states {

namespace json = boost::json;

namespace {

// What to write instead of a field the state's language does not accept (asl-reference §4.2).
struct Replacement {
  std::string_view field;
  QueryLanguage language;  // the only language that accepts `field`
  std::string_view instead;
};

constexpr std::array kLanguageFields{
    Replacement{"InputPath", QueryLanguage::jsonpath, "'Arguments' with {% %} expressions"},
    Replacement{"Parameters", QueryLanguage::jsonpath, "'Arguments' with {% %} expressions"},
    Replacement{"ResultSelector", QueryLanguage::jsonpath, "'Output' with {% %} expressions"},
    Replacement{"ResultPath", QueryLanguage::jsonpath, "'Output' with {% %} expressions"},
    Replacement{"OutputPath", QueryLanguage::jsonpath, "'Output' with {% %} expressions"},
    Replacement{"Result", QueryLanguage::jsonpath, "'Output'"},
    Replacement{"ItemsPath", QueryLanguage::jsonpath, "'Items'"},
    Replacement{"MaxConcurrencyPath", QueryLanguage::jsonpath,
                "'MaxConcurrency' with a {% %} expression"},
    Replacement{"ToleratedFailureCountPath", QueryLanguage::jsonpath,
                "'ToleratedFailureCount' with a {% %} expression"},
    Replacement{"ToleratedFailurePercentagePath", QueryLanguage::jsonpath,
                "'ToleratedFailurePercentage' with a {% %} expression"},
    Replacement{"TimeoutSecondsPath", QueryLanguage::jsonpath,
                "'TimeoutSeconds' with a {% %} expression"},
    Replacement{"HeartbeatSecondsPath", QueryLanguage::jsonpath,
                "'HeartbeatSeconds' with a {% %} expression"},
    Replacement{"SecondsPath", QueryLanguage::jsonpath, "'Seconds' with a {% %} expression"},
    Replacement{"TimestampPath", QueryLanguage::jsonpath, "'Timestamp' with a {% %} expression"},
    Replacement{"ErrorPath", QueryLanguage::jsonpath, "'Error' with a {% %} expression"},
    Replacement{"CausePath", QueryLanguage::jsonpath, "'Cause' with a {% %} expression"},
    Replacement{"MaxItemsPath", QueryLanguage::jsonpath, "'MaxItems' with a {% %} expression"},
    Replacement{"MaxItemsPerBatchPath", QueryLanguage::jsonpath,
                "'MaxItemsPerBatch' with a {% %} expression"},
    Replacement{"MaxInputBytesPerBatchPath", QueryLanguage::jsonpath,
                "'MaxInputBytesPerBatch' with a {% %} expression"},
    Replacement{"Variable", QueryLanguage::jsonpath, "'Condition' with a {% %} expression"},
    Replacement{"Arguments", QueryLanguage::jsonata, "'Parameters'"},
    Replacement{"Output", QueryLanguage::jsonata, "'OutputPath' or 'ResultSelector'"},
    Replacement{"Items", QueryLanguage::jsonata, "'ItemsPath'"},
    Replacement{"Condition", QueryLanguage::jsonata, "'Variable' with a comparison operator"},
};

bool is_identifier_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool is_identifier_part(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string_view to_string(QueryLanguage language) {
  return language == QueryLanguage::jsonata ? "JSONata" : "JSONPath";
}

bool is_jsonata_expression(std::string_view text) {
  return text.size() >= 4 && text.starts_with("{%") && text.ends_with("%}");
}

bool reject_for_language(definition::FieldReader& reader, std::string_view field,
                         QueryLanguage language) {
  if (!reader.has(field)) return false;
  for (const Replacement& replacement : kLanguageFields) {
    if (replacement.field != field || replacement.language == language) continue;
    reader.allow({replacement.field});
    if (language == QueryLanguage::jsonata)
      reader.error_at_field(field, fmt::format("'{}' is a JSONPath field, but {} uses JSONata; "
                                               "use {} instead",
                                               field, reader.owner(), replacement.instead));
    else
      reader.error_at_field(field, fmt::format("'{}' is a JSONata field, but {} uses JSONPath; "
                                               "set 'QueryLanguage: JSONata' to use it, or use "
                                               "{}",
                                               field, reader.owner(), replacement.instead));
    return true;
  }
  return false;
}

void check_jsonata_value(definition::FieldReader& reader, const json::value& value,
                         std::string_view field) {
  switch (value.kind()) {
    case json::kind::string: {
      std::string_view text = value.get_string();
      bool opens = text.starts_with("{%"), closes = text.size() >= 2 && text.ends_with("%}");
      if (opens != closes || (opens && text.size() < 4)) {
        reader.error_at(value, fmt::format("'{}': the JSONata expression \"{}\" must start with "
                                           "'{{%' and end with '%}}', with nothing outside them",
                                           field, text));
      } else if (opens && text.substr(2, text.size() - 4).find_first_not_of(" \t\r\n") ==
                              std::string_view::npos) {
        reader.error_at(value, fmt::format("'{}': the JSONata expression \"{}\" is empty", field,
                                           text));
      }
      return;
    }
    case json::kind::array:
      for (const auto& element : value.get_array()) check_jsonata_value(reader, element, field);
      return;
    case json::kind::object:
      for (const auto& member : value.get_object())
        check_jsonata_value(reader, member.value(), field);
      return;
    default: return;
  }
}

IntegerField compile_integer_field(definition::FieldReader& reader, std::string_view field,
                                   std::int64_t min, std::int64_t max) {
  IntegerField compiled;
  compiled.field = std::string(field);
  compiled.min = min;
  compiled.max = max;
  const json::value* value = reader.field(field);
  if (!value) return compiled;
  if (value->is_string() && is_jsonata_expression(value->get_string())) {
    check_jsonata_value(reader, *value, field);
    compiled.expression = JsonataTemplate::compile(*value, std::string(field), reader);
    return compiled;
  }
  compiled.value = integer_or_expression(reader, field, min, max);
  return compiled;
}

boost::system::result<std::optional<std::int64_t>, asl::Failure> IntegerField::evaluate(
    const JsonataScope& scope) const {
  if (!expression) return value;
  auto result = expression->evaluate(scope);
  if (!result) return result.error();
  std::optional<std::int64_t> n;
  if (result->is_int64()) n = result->get_int64();
  else if (result->is_uint64() && result->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    n = static_cast<std::int64_t>(result->get_uint64());
  if (!n || *n < min || *n > max)
    return asl::Failure(std::string(asl::error_name::kQueryEvaluationError),
                        fmt::format("The JSONata expression '{}' specified for the field '{}' returned {}; "
                                    "it must be an integer from {} to {}",
                                    expression->expression_text(), field, data::serialize_json(*result), min,
                                    max));
  return std::optional<std::int64_t>(*n);
}

std::optional<std::int64_t> integer_or_expression(definition::FieldReader& reader,
                                                  std::string_view field, std::int64_t min,
                                                  std::int64_t max) {
  const json::value* value = reader.field(field);
  if (!value) return std::nullopt;
  if (value->is_string()) {
    if (!is_jsonata_expression(value->get_string())) {
      reader.error_at(*value, fmt::format("'{}' must be an integer or a JSONata expression "
                                          "\"{{% ... %}}\", not the string \"{}\"",
                                          field, std::string_view(value->get_string())));
      return std::nullopt;
    }
    check_jsonata_value(reader, *value, field);
    reader.note_unsupported(field, fmt::format("'{}' as a JSONata expression is not supported yet; "
                                               "write the number",
                                               field));
    return std::nullopt;
  }
  return reader.integer(field, min, max);
}

std::optional<JsonataTemplate> compile_output(definition::FieldReader& reader, QueryLanguage language,
                                              std::string field) {
  if (reject_for_language(reader, "Output", language)) return std::nullopt;
  const json::value* output = reader.field("Output");
  if (!output) return std::nullopt;
  check_jsonata_value(reader, *output, "Output");
  return JsonataTemplate::compile(*output, std::move(field), reader);
}

Assignment compile_assign(definition::FieldReader& reader, QueryLanguage language, std::string field) {
  const json::value* assign = reader.field("Assign");
  if (!assign) return {};
  if (!assign->is_object()) {
    reader.error_at(*assign, fmt::format("'Assign' must be an object of variable names and "
                                         "values, not {}",
                                         definition::describe_kind(*assign)));
    return {};
  }
  bool ok = true;
  for (const auto& member : assign->get_object()) {
    std::string_view name = member.key();
    if (language == QueryLanguage::jsonpath && name.ends_with(".$"))
      name.remove_suffix(2);
    bool valid = !name.empty() && is_identifier_start(static_cast<unsigned char>(name.front()));
    for (char c : name) valid = valid && is_identifier_part(static_cast<unsigned char>(c));
    if (!valid) {
      reader.diagnostics().add(
          reader.document().key_location_of(member.value()),
          fmt::format("'Assign': '{}' is not a variable name; use letters, digits and '_' "
                      "(not starting with a digit), and assign whole variables only",
                      name));
      ok = false;
    } else if (utf8_length(name) > asl::kMaxStateNameLength) {
      reader.diagnostics().add(reader.document().key_location_of(member.value()),
                               fmt::format("'Assign': the variable name '{}' is longer than {} "
                                           "characters",
                                           name, asl::kMaxStateNameLength));
      ok = false;
    } else if (name == "states") {
      reader.diagnostics().add(reader.document().key_location_of(member.value()),
                               "'Assign': 'states' is reserved for $states and cannot be "
                               "assigned; choose another variable name");
      ok = false;
    }
  }
  if (!ok) return {};
  Assignment assignment;
  if (language == QueryLanguage::jsonpath) {
    assignment.jsonpath =
        data::PayloadTemplate::compile(*assign, [&](const json::value& node, std::string message) {
          reader.error_at(node, fmt::format("'Assign': {}", std::move(message)));
        });
    return assignment;
  }
  check_jsonata_value(reader, *assign, "Assign");
  assignment.jsonata = JsonataTemplate::compile(*assign, std::move(field), reader);
  return assignment;
}

}  // namespace flowstate::states
