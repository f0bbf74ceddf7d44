#include "states/distributed_map_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/payload_template.hpp"
#include "states/path_fields.hpp"

namespace flowstate::states {

namespace json = boost::json;
using definition::FieldReader;

namespace {

// ToleratedFailure* and Label are accepted (and have no effect) on an inline Map: AWS runs
// such definitions (conformance base_evaluate_expressions.base_map~TOLERATED_FAILURE_COUNT;
// a Label on an inline Map in published AWS samples).
constexpr std::string_view kDistributedFields[] = {"ItemReader", "ItemBatcher", "ResultWriter"};

// "Label: up to 40 characters, unique in the definition; no whitespace, wildcards, brackets,
// special characters or control characters" (DG-map-dist).
constexpr std::string_view kLabelForbidden = " \t\r\n?*<>{}[]:;,\\|^~$#%&`\"";
constexpr std::size_t kMaxLabelLength = 40;

void enumeration(FieldReader& reader, std::string_view field,
                 std::initializer_list<std::string_view> allowed) {
  auto value = reader.string(field);
  if (!value || std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return;
  reader.error_at(*reader.field(field), fmt::format("'{}' must be one of {}, not \"{}\"", field,
                                                    fmt::join(allowed, ", "), *value));
}

std::optional<data::JsonPath> reference_path(FieldReader& reader, std::string_view field,
                                             QueryLanguage language) {
  if (reject_for_language(reader, field, language)) return std::nullopt;
  return compile_reference_path(reader, field, "$.limit");
}

// A field flowstate validates but cannot run yet: the Map Run iterates inline items only.
void not_supported_yet(FieldReader& map, std::string_view field, std::string_view what) {
  map.note_unsupported(field, fmt::format("'{}' ({}) is not supported yet; flowstate's "
                                          "Distributed Maps iterate the items of the state "
                                          "input (ItemsPath)",
                                          field, what));
}

// An integer field, an expression in JSONata, with its JSONPath-only "…Path" twin.
void integer_with_path(FieldReader& reader, std::string_view field, std::string_view path_field,
                       std::int64_t min, std::int64_t max, QueryLanguage language) {
  if (language == QueryLanguage::jsonata) integer_or_expression(reader, field, min, max);
  else reader.integer(field, min, max);
  reference_path(reader, path_field, language);
  if (reader.has(field) && reader.has(path_field))
    reader.error_at_field(path_field, fmt::format("'{}' and '{}' exclude each other; keep one",
                                                  field, path_field));
}

// Parameters (JSONPath) or Arguments (JSONata) of an ItemReader / ResultWriter.
void resource_input(FieldReader& reader, QueryLanguage language) {
  if (!reject_for_language(reader, "Parameters", language))
    if (const json::value* parameters = reader.field("Parameters"))
      data::PayloadTemplate::compile(*parameters, [&](const json::value& n, std::string message) {
        reader.error_at(n, fmt::format("'Parameters': {}", std::move(message)));
      });
  if (!reject_for_language(reader, "Arguments", language))
    if (const json::value* arguments = reader.field("Arguments"))
      check_jsonata_value(reader, *arguments, "Arguments");
}

void item_reader(FieldReader& map, const json::value& node, QueryLanguage language) {
  FieldReader reader(node, fmt::format("the ItemReader of {}", map.owner()), map);
  if (!reader.is_object()) return;
  reader.string("Resource", definition::Presence::required);
  resource_input(reader, language);
  if (const json::value* config_node = reader.field("ReaderConfig")) {
    FieldReader config(*config_node, fmt::format("the ReaderConfig of {}", map.owner()), map);
    if (config.is_object()) {
      enumeration(config, "InputType", {"CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"});
      enumeration(config, "CSVHeaderLocation", {"FIRST_ROW", "GIVEN"});
      enumeration(config, "CSVDelimiter", {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"});
      enumeration(config, "Transformation", {"NONE", "LOAD_AND_FLATTEN"});
      enumeration(config, "ManifestType", {"ATHENA_DATA", "S3_INVENTORY"});
      config.string_list("CSVHeaders");
      config.string("ItemsPointer");
      // 0 is accepted: AWS deploys it (published AWS samples), and its docs set MaxItems an
      // upper bound only (input-output-itemreader); what 0 reads is the ItemReader's to do.
      integer_with_path(config, "MaxItems", "MaxItemsPath", 0, 100000000, language);
      config.report_unknown_fields();
    }
  }
  reader.report_unknown_fields();
}

void item_batcher(FieldReader& map, const json::value& node, QueryLanguage language) {
  FieldReader reader(node, fmt::format("the ItemBatcher of {}", map.owner()), map);
  if (!reader.is_object()) return;
  integer_with_path(reader, "MaxItemsPerBatch", "MaxItemsPerBatchPath", 1, INT32_MAX, language);
  integer_with_path(reader, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", 1,
                    static_cast<std::int64_t>(asl::kMaxPayloadBytes), language);
  if (const json::value* batch_input = reader.field("BatchInput")) {
    if (language == QueryLanguage::jsonata)
      check_jsonata_value(reader, *batch_input, "BatchInput");
    else
      data::PayloadTemplate::compile(*batch_input, [&](const json::value& n, std::string message) {
        reader.error_at(n, fmt::format("'BatchInput': {}", std::move(message)));
      });
  }
  if (!reader.has("MaxItemsPerBatch") && !reader.has("MaxItemsPerBatchPath") &&
      !reader.has("MaxInputBytesPerBatch") && !reader.has("MaxInputBytesPerBatchPath"))
    reader.error(fmt::format("{} needs at least one of 'MaxItemsPerBatch', "
                             "'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or "
                             "'MaxInputBytesPerBatchPath'",
                             reader.owner()));
  reader.report_unknown_fields();
}

void result_writer(FieldReader& map, const json::value& node, QueryLanguage language) {
  FieldReader reader(node, fmt::format("the ResultWriter of {}", map.owner()), map);
  if (!reader.is_object()) return;
  reader.string("Resource");
  resource_input(reader, language);
  if (const json::value* config_node = reader.field("WriterConfig")) {
    FieldReader config(*config_node, fmt::format("the WriterConfig of {}", map.owner()), map);
    if (config.is_object()) {
      enumeration(config, "Transformation", {"NONE", "COMPACT", "FLATTEN"});
      enumeration(config, "OutputType", {"JSON", "JSONL"});
      config.report_unknown_fields();
    }
  }
  reader.report_unknown_fields();
}

std::string label(FieldReader& map) {
  auto text = map.string("Label");
  if (!text) return {};
  std::size_t length = 0;
  bool control = false;
  for (char c : *text) {
    length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  }
  std::size_t bad = text->find_first_of(kLabelForbidden);
  if (length == 0 || length > kMaxLabelLength)
    map.error_at(*map.field("Label"), fmt::format("'Label' must be 1 to {} characters long, not "
                                                  "{}",
                                                  kMaxLabelLength, length));
  else if (bad != std::string::npos || control)
    map.error_at(*map.field("Label"),
                 fmt::format("'Label' \"{}\" must not contain whitespace, control characters or "
                             "any of ?*<>{{}}[]:;,\\|^~$#%&`\" (it becomes part of the Map Run "
                             "ARN)",
                             *text));
  return *text;
}

}  // namespace

std::optional<DistributedMap> compile_distributed_map_fields(FieldReader& map,
                                                             QueryLanguage language,
                                                             bool distributed) {
  DistributedMap compiled;
  if (!distributed) {
    for (std::string_view field : kDistributedFields) {
      if (!map.has(field)) continue;
      map.error_at_field(field, fmt::format("'{}' applies only to a Distributed Map; set "
                                            "'Mode: DISTRIBUTED' in the ItemProcessor's "
                                            "ProcessorConfig, or remove it",
                                            field));
      map.allow({field});
    }
    label(map);  // checked as AWS checks it, then unused: an inline Map has no Map Run
  } else {
    if (const json::value* node = map.field("ItemReader")) {
      item_reader(map, *node, language);
      not_supported_yet(map, "ItemReader", "reading items from S3");
    }
    if (const json::value* node = map.field("ItemBatcher")) {
      item_batcher(map, *node, language);
      not_supported_yet(map, "ItemBatcher", "batching items into child executions");
    }
    if (const json::value* node = map.field("ResultWriter")) {
      result_writer(map, *node, language);
      not_supported_yet(map, "ResultWriter", "writing results to S3");
    }
    compiled.label = label(map);
  }
  if (language == QueryLanguage::jsonata) {
    IntegerField count = compile_integer_field(map, "ToleratedFailureCount", 0, INT64_MAX);
    compiled.tolerated_failure_count = count.value;
    compiled.tolerated_failure_count_expression = std::move(count.expression);
  } else {
    compiled.tolerated_failure_count = map.integer("ToleratedFailureCount", 0, INT64_MAX);
  }
  compiled.tolerated_failure_count_path =
      reference_path(map, "ToleratedFailureCountPath", language);
  if (map.has("ToleratedFailureCount") && map.has("ToleratedFailureCountPath"))
    map.error_at_field("ToleratedFailureCountPath", "'ToleratedFailureCount' and "
                                                    "'ToleratedFailureCountPath' exclude each "
                                                    "other; keep one");
  const json::value* percentage = map.field("ToleratedFailurePercentage");
  if (language == QueryLanguage::jsonata && percentage && percentage->is_string() &&
      is_jsonata_expression(percentage->get_string())) {
    check_jsonata_value(map, *percentage, "ToleratedFailurePercentage");
    compiled.tolerated_failure_percentage_expression =
        JsonataTemplate::compile(*percentage, "ToleratedFailurePercentage", map);
  } else
    compiled.tolerated_failure_percentage = map.number("ToleratedFailurePercentage", 0, 100);
  compiled.tolerated_failure_percentage_path =
      reference_path(map, "ToleratedFailurePercentagePath", language);
  if (map.has("ToleratedFailurePercentage") && map.has("ToleratedFailurePercentagePath"))
    map.error_at_field("ToleratedFailurePercentagePath",
                       "'ToleratedFailurePercentage' and 'ToleratedFailurePercentagePath' exclude "
                       "each other; keep one");
  if (!distributed) return std::nullopt;
  return compiled;
}

bool FailureTolerance::exceeded(std::size_t failed, std::size_t total) const {
  if (failed == 0) return false;
  if (!count && !percentage) return true;
  if (count && static_cast<std::uint64_t>(failed) > static_cast<std::uint64_t>(*count)) return true;
  return percentage && total != 0 &&
         static_cast<double>(failed) * 100.0 / static_cast<double>(total) > *percentage;
}

namespace {

asl::Failure runtime(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kRuntime), std::move(cause));
}

// A number written as a string ("1", "12.5"): AWS reads the *Path values as text, so a
// numeric string counts (conformance: assign_reference_variables.reference_in_map_state~
// MAP_STATE_REFERENCE_IN_TOLERATED_FAILURE_PATH runs with "1" for both).
template <typename Number>
std::optional<Number> number_in(const json::value& value) {
  if (!value.is_string()) return std::nullopt;
  std::string_view text = value.get_string();
  Number number{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return number;
}

// How AWS quotes a value it cannot use: a string as it is, anything else as JSON.
std::string shown(const json::value* value) {
  if (!value) return "null";
  if (value->is_string()) return std::string(value->get_string());
  return data::serialize_json(*value);
}

}  // namespace

boost::system::result<FailureTolerance, asl::Failure> DistributedMap::tolerance(
    const data::PathScope& scope) const {
  FailureTolerance tolerance{tolerated_failure_count, tolerated_failure_percentage};
  JsonataScope jsonata{&scope.input, scope.context, nullptr, nullptr, scope.variables};
  auto query_error = [](const JsonataTemplate& expression, std::string_view field, const json::value& value,
                        std::string_view expected) {
    return asl::Failure(std::string(asl::error_name::kQueryEvaluationError),
                        fmt::format("The JSONata expression '{}' specified for the field '{}' returned {}; "
                                    "it must be {}",
                                    expression.expression_text(), field, data::serialize_json(value), expected));
  };
  if (tolerated_failure_count_expression) {
    auto value = tolerated_failure_count_expression->evaluate(jsonata);
    if (!value) return {boost::system::in_place_error, value.error()};
    if (value->is_int64() && value->get_int64() >= 0) tolerance.count = value->get_int64();
    else if (value->is_uint64()) tolerance.count = static_cast<std::int64_t>(std::min<std::uint64_t>(value->get_uint64(), INT64_MAX));
    else
      return {boost::system::in_place_error, query_error(*tolerated_failure_count_expression, "ToleratedFailureCount",
                                                         *value, "an integer of at least 0")};
  }
  if (tolerated_failure_percentage_expression) {
    auto value = tolerated_failure_percentage_expression->evaluate(jsonata);
    if (!value) return {boost::system::in_place_error, value.error()};
    if (!value->is_number() || value->to_number<double>() < 0 || value->to_number<double>() > 100)
      return {boost::system::in_place_error,
              query_error(*tolerated_failure_percentage_expression, "ToleratedFailurePercentage", *value,
                          "a number from 0 to 100")};
    tolerance.percentage = value->to_number<double>();
  }
  if (tolerated_failure_count_path) {
    const json::value* value = tolerated_failure_count_path->find(scope);
    if (value && value->is_int64()) {
      tolerance.count = value->get_int64();
    } else if (value && value->is_uint64()) {
      tolerance.count = static_cast<std::int64_t>(
          std::min<std::uint64_t>(value->get_uint64(), static_cast<std::uint64_t>(INT64_MAX)));
    } else if (auto parsed = value ? number_in<std::int64_t>(*value) : std::nullopt) {
      tolerance.count = *parsed;
    } else {
      return {boost::system::in_place_error,
              runtime(fmt::format("The ToleratedFailureCountPath field refers to value \"{}\" "
                                  "which is not a valid integer: {}",
                                  shown(value), tolerated_failure_count_path->text()))};
    }
    if (*tolerance.count < 0)
      return {boost::system::in_place_error, runtime("ToleratedFailureCount cannot be negative.")};
  }
  if (tolerated_failure_percentage_path) {
    const json::value* value = tolerated_failure_percentage_path->find(scope);
    if (value && value->is_number()) tolerance.percentage = value->to_number<double>();
    else if (value) tolerance.percentage = number_in<double>(*value);
    if (!tolerance.percentage)
      return {boost::system::in_place_error,
              runtime(fmt::format("The ToleratedFailurePercentagePath field refers to value "
                                  "\"{}\" which is not a valid float: {}",
                                  shown(value), tolerated_failure_percentage_path->text()))};
    if (*tolerance.percentage < 0 || *tolerance.percentage > 100)
      return {boost::system::in_place_error,
              runtime("ToleratedFailurePercentage must be between 0 and 100.")};
  }
  return tolerance;
}

}  // namespace flowstate::states
