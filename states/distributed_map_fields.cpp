#include "states/distributed_map_fields.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/payload_template.hpp"
#include "states/path_fields.hpp"

namespace flowstate::states {

namespace json = boost::json;
using definition::FieldReader;

namespace {

// ToleratedFailure* are accepted (and have no effect) on an inline Map: AWS runs such
// definitions (conformance base_evaluate_expressions.base_map~TOLERATED_FAILURE_COUNT).
constexpr std::string_view kDistributedFields[] = {"ItemReader", "ItemBatcher", "ResultWriter",
                                                   "Label"};

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

void reference_path(FieldReader& reader, std::string_view field, QueryLanguage language) {
  if (reject_for_language(reader, field, language)) return;
  compile_reference_path(reader, field, "$.limit");
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
      integer_with_path(config, "MaxItems", "MaxItemsPath", 1, 100000000, language);
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

void label(FieldReader& map) {
  auto text = map.string("Label");
  if (!text) return;
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
}

}  // namespace

void compile_distributed_map_fields(FieldReader& map, QueryLanguage language, bool distributed) {
  if (!distributed) {
    for (std::string_view field : kDistributedFields) {
      if (!map.has(field)) continue;
      map.error_at_field(field, fmt::format("'{}' applies only to a Distributed Map; set "
                                            "'Mode: DISTRIBUTED' in the ItemProcessor's "
                                            "ProcessorConfig, or remove it",
                                            field));
      map.allow({field});
    }
  } else {
    if (const json::value* node = map.field("ItemReader")) item_reader(map, *node, language);
    if (const json::value* node = map.field("ItemBatcher")) item_batcher(map, *node, language);
    if (const json::value* node = map.field("ResultWriter")) result_writer(map, *node, language);
    label(map);
  }
  integer_with_path(map, "ToleratedFailureCount", "ToleratedFailureCountPath", 0, INT64_MAX,
                    language);
  if (language == QueryLanguage::jsonata) {
    const json::value* value = map.field("ToleratedFailurePercentage");
    if (value && value->is_string() && is_jsonata_expression(value->get_string()))
      check_jsonata_value(map, *value, "ToleratedFailurePercentage");
    else
      map.number("ToleratedFailurePercentage", 0, 100);
  } else {
    map.number("ToleratedFailurePercentage", 0, 100);
  }
  reference_path(map, "ToleratedFailurePercentagePath", language);
  if (map.has("ToleratedFailurePercentage") && map.has("ToleratedFailurePercentagePath"))
    map.error_at_field("ToleratedFailurePercentagePath",
                       "'ToleratedFailurePercentage' and 'ToleratedFailurePercentagePath' exclude "
                       "each other; keep one");
}

}  // namespace flowstate::states
