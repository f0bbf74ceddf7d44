#include "states/map_state.hpp"

#include <charconv>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "states/path_fields.hpp"

namespace flowstate::states {

namespace json = boost::json;

namespace {

asl::Failure runtime(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kRuntime), std::move(cause));
}

}  // namespace

boost::system::result<const json::array*, asl::Failure> MapState::items(
    const data::PathScope& scope) const {
  const json::value* value = items_path ? items_path->find(scope) : &scope.input;
  std::string path = items_path ? items_path->text() : "$";
  if (!value) {
    // Only on this error path: evaluate() words the miss as AWS's JsonPath library does.
    auto miss = items_path->evaluate(scope);
    return {boost::system::in_place_error,
            runtime(fmt::format("Invalid path '{}' : {}", path,
                                miss ? std::string("No results for path") : miss.error().detail))};
  }
  if (!value->is_array())
    return {boost::system::in_place_error,
            runtime(fmt::format("Reference path \"{}\" must point to array.", path))};
  return &value->get_array();
}

boost::system::result<std::int64_t, asl::Failure> MapState::concurrency(
    const data::PathScope& scope) const {
  if (!max_concurrency_path) return max_concurrency;
  const json::value* value = max_concurrency_path->find(scope);
  std::optional<std::int64_t> n;
  if (value && value->is_int64()) n = value->get_int64();
  else if (value && value->is_uint64()) n = static_cast<std::int64_t>(value->get_uint64());
  else if (value && value->is_string()) {
    // AWS reads a string of digits as its integer [conformance:
    // assign_reference_variables.reference_in_map_state~MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH].
    std::string_view text = value->get_string();
    std::int64_t parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) n = parsed;
  }
  if (!n || *n < 0) {
    std::string shown = !value ? "null" : value->is_string() ? std::string(value->get_string())
                                                              : data::serialize_json(*value);
    return {boost::system::in_place_error,
            runtime(fmt::format("The MaxConcurrencyPath field refers to value \"{}\" which is not "
                                "a valid integer: {}",
                                shown, max_concurrency_path->text()))};
  }
  return *n;
}

namespace {

struct ProcessorConfig {
  bool distributed = false;
  ChildExecutionType execution_type = ChildExecutionType::standard;
};

// ProcessorConfig: {Mode: INLINE | DISTRIBUTED, ExecutionType: STANDARD | EXPRESS}.
ProcessorConfig compile_processor_config(definition::FieldReader& map, const json::value& processor) {
  const json::object* object = processor.if_object();
  const json::value* node = object ? object->if_contains("ProcessorConfig") : nullptr;
  if (!node) return {};
  definition::FieldReader config(*node, fmt::format("the ProcessorConfig of {}", map.owner()), map);
  if (!config.is_object()) return {};
  ChildExecutionType execution_type = ChildExecutionType::standard;
  bool distributed = false;
  if (auto mode = config.string("Mode")) {
    if (*mode == "DISTRIBUTED") {
      distributed = true;
    } else if (*mode != "INLINE") {
      config.error_at(*config.field("Mode"), fmt::format("'Mode' must be \"INLINE\" or "
                                                         "\"DISTRIBUTED\", not \"{}\"",
                                                         *mode));
    }
  }
  if (auto type = config.string("ExecutionType")) {
    if (*type != "STANDARD" && *type != "EXPRESS")
      config.error_at(*config.field("ExecutionType"),
                      fmt::format("'ExecutionType' must be \"STANDARD\" or \"EXPRESS\", not "
                                  "\"{}\"",
                                  *type));
    else if (!distributed)
      config.error_at_field("ExecutionType", "'ExecutionType' applies only to a Distributed Map; "
                                             "set 'Mode: DISTRIBUTED' or remove it");
    else if (*type == "EXPRESS")
      execution_type = ChildExecutionType::express;
  } else if (distributed && !config.has("ExecutionType")) {
    config.error_at_field("Mode", "a Distributed Map needs 'ExecutionType' (STANDARD or EXPRESS) "
                                  "in its ProcessorConfig");
  }
  config.report_unknown_fields();
  return ProcessorConfig{distributed, execution_type};
}

}  // namespace

std::optional<MapState> compile_map_state(definition::FieldReader& reader,
                                          const NestedMachineCompiler& compile_machine,
                                          QueryLanguage language) {
  MapState state;
  std::size_t errors_before = reader.diagnostics().size();
  bool jsonata = language == QueryLanguage::jsonata;

  if (jsonata) {
    reject_for_language(reader, "ItemsPath", language);
    reject_for_language(reader, "MaxConcurrencyPath", language);
    if (reader.has("Parameters")) {
      reader.error_at_field("Parameters", fmt::format("'Parameters' is a JSONPath field, but {} "
                                                      "uses JSONata; use 'ItemSelector' instead",
                                                      reader.owner()));
      reader.allow({"Parameters"});
    }
    if (const json::value* items = reader.field("Items")) {
      if ((items->is_string() && is_jsonata_expression(items->get_string())) || items->is_array()) {
        check_jsonata_value(reader, *items, "Items");
        state.items_template = JsonataTemplate::compile(*items, "Items", reader);
      } else {
        reader.error_at(*items, fmt::format("'Items' must be an array or a JSONata expression "
                                            "\"{{% ... %}}\", not {}",
                                            definition::describe_kind(*items)));
      }
    }
    if (const json::value* selector = reader.field("ItemSelector")) {
      check_jsonata_value(reader, *selector, "ItemSelector");
      state.jsonata_item_selector = JsonataTemplate::compile(*selector, "ItemSelector", reader);
      if (state.jsonata_item_selector) state.item_selector_reads_context = state.jsonata_item_selector->reads_context();
    }
    state.jsonata_max_concurrency = compile_integer_field(reader, "MaxConcurrency", 0, INT32_MAX);
    if (state.jsonata_max_concurrency.value) state.max_concurrency = *state.jsonata_max_concurrency.value;
  } else {
    reject_for_language(reader, "Items", language);
    if (auto path = compile_reference_path(reader, "ItemsPath", "$.items"); path && path->text() != "$")
      state.items_path = std::move(*path);
    if (reader.has("ItemSelector") && reader.has("Parameters"))
      reader.error_at_field("Parameters", "'ItemSelector' and its legacy name 'Parameters' "
                                          "exclude each other; keep 'ItemSelector'");
    for (std::string_view field : {"ItemSelector", "Parameters"}) {
      const json::value* selector = reader.field(field);
      if (!selector) continue;
      state.item_selector = data::PayloadTemplate::compile(
          *selector, [&](const json::value& node, std::string message) {
            reader.error_at(node, fmt::format("'{}': {}", field, std::move(message)));
          });
      if (state.item_selector)
        state.item_selector_reads_context = state.item_selector->reads_context();
    }
    if (auto n = reader.integer("MaxConcurrency", 0, INT32_MAX)) state.max_concurrency = *n;
    state.max_concurrency_path = compile_reference_path(reader, "MaxConcurrencyPath", "$.concurrency");
    if (reader.has("MaxConcurrency") && reader.has("MaxConcurrencyPath"))
      reader.error_at_field("MaxConcurrencyPath", "'MaxConcurrency' and 'MaxConcurrencyPath' "
                                                  "exclude each other; keep one");
  }

  if (reader.has("ItemProcessor") && reader.has("Iterator"))
    reader.error_at_field("Iterator", "'ItemProcessor' and its legacy name 'Iterator' exclude "
                                      "each other; keep 'ItemProcessor'");
  const json::value* processor = reader.field("ItemProcessor");
  if (!processor) processor = reader.field("Iterator");
  ProcessorConfig processor_config;
  if (!processor) {
    reader.error(fmt::format("{} is missing the required field 'ItemProcessor' (the StartAt and "
                             "States run for each item)",
                             reader.owner()));
  } else {
    processor_config = compile_processor_config(reader, *processor);
    state.processor = compile_machine(*processor, fmt::format("the ItemProcessor of {}",
                                                              reader.owner()),
                                      NestedBlock::item_processor);
  }
  state.distributed = compile_distributed_map_fields(reader, language, processor_config.distributed);
  if (state.distributed) state.distributed->execution_type = processor_config.execution_type;
  if (reader.diagnostics().size() != errors_before || !state.processor) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
