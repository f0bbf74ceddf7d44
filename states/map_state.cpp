#include "states/map_state.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::states {

namespace json = boost::json;

namespace {

asl::Failure runtime(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kRuntime), std::move(cause));
}

}  // namespace

boost::system::result<json::array, asl::Failure> MapState::items(const data::PathScope& scope) const {
  const json::value* value = items_path ? items_path->find(scope) : &scope.input;
  std::string path = items_path ? items_path->text() : "$";
  if (!value)
    return {boost::system::in_place_error,
            runtime(fmt::format("Invalid path '{}' : No results for path: {}", path, path))};
  if (!value->is_array())
    return {boost::system::in_place_error,
            runtime(fmt::format("Reference path \"{}\" must point to array.", path))};
  return value->get_array();
}

boost::system::result<std::int64_t, asl::Failure> MapState::concurrency(
    const data::PathScope& scope) const {
  if (!max_concurrency_path) return max_concurrency;
  const json::value* value = max_concurrency_path->find(scope);
  std::optional<std::int64_t> n;
  if (value && value->is_int64()) n = value->get_int64();
  else if (value && value->is_uint64()) n = static_cast<std::int64_t>(value->get_uint64());
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

std::optional<MapState> compile_map_state(definition::FieldReader& reader,
                                          const NestedMachineCompiler& compile_machine) {
  MapState state;
  bool ok = true;
  if (auto text = reader.string("ItemsPath")) {
    auto path = data::JsonPath::compile(*text);
    if (!path || !path->is_definite()) {
      reader.error_at_field("ItemsPath", fmt::format("'ItemsPath' must be a reference path such "
                                                     "as '$.items', not '{}'",
                                                     *text));
      ok = false;
    } else if (path->text() != "$") {
      state.items_path = std::move(*path);
    }
  }
  if (reader.has("ItemSelector") && reader.has("Parameters")) {
    reader.error_at_field("Parameters", "'ItemSelector' and its legacy name 'Parameters' exclude "
                                        "each other; keep 'ItemSelector'");
    ok = false;
  }
  for (std::string_view field : {"ItemSelector", "Parameters"}) {
    const json::value* selector = reader.field(field);
    if (!selector) continue;
    state.item_selector = data::PayloadTemplate::compile(
        *selector, [&](const json::value& node, std::string message) {
          reader.error_at(node, fmt::format("'{}': {}", field, std::move(message)));
        });
    if (!state.item_selector) ok = false;
    else state.item_selector_reads_context = state.item_selector->reads_context();
  }

  if (reader.has("ItemProcessor") && reader.has("Iterator")) {
    reader.error_at_field("Iterator", "'ItemProcessor' and its legacy name 'Iterator' exclude "
                                      "each other; keep 'ItemProcessor'");
    ok = false;
  }
  const json::value* processor = reader.field("ItemProcessor");
  if (!processor) processor = reader.field("Iterator");
  if (!processor) {
    reader.error(fmt::format("{} is missing the required field 'ItemProcessor'", reader.owner()));
    ok = false;
  } else {
    if (const json::object* object = processor->if_object()) {
      if (const json::value* config = object->if_contains("ProcessorConfig")) {
        const json::value* mode = config->is_object() ? config->get_object().if_contains("Mode")
                                                      : nullptr;
        if (mode && !(mode->is_string() && mode->get_string() == "INLINE")) {
          reader.error_at(*mode, "only 'ProcessorConfig.Mode: INLINE' is supported yet; "
                                 "Distributed Map is planned");
          ok = false;
        }
      }
    }
    state.processor = compile_machine(*processor, fmt::format("ItemProcessor of {}",
                                                              reader.owner()));
    if (!state.processor) ok = false;
  }

  if (auto n = reader.integer("MaxConcurrency", 0, INT32_MAX)) state.max_concurrency = *n;
  if (auto text = reader.string("MaxConcurrencyPath")) {
    auto path = data::JsonPath::compile(*text);
    if (!path || !path->is_definite()) {
      reader.error_at_field("MaxConcurrencyPath", fmt::format("'MaxConcurrencyPath' must be a "
                                                              "reference path, not '{}'",
                                                              *text));
      ok = false;
    } else {
      state.max_concurrency_path = std::move(*path);
    }
  }
  if (reader.has("MaxConcurrency") && reader.has("MaxConcurrencyPath")) {
    reader.error_at_field("MaxConcurrencyPath", "'MaxConcurrency' and 'MaxConcurrencyPath' "
                                                "exclude each other; keep one");
    ok = false;
  }
  for (std::string_view field : {"ItemReader", "ItemBatcher", "ResultWriter", "Label",
                                 "ToleratedFailurePercentage", "ToleratedFailureCount",
                                 "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"}) {
    if (reader.has(field)) {
      reader.error_at_field(field, fmt::format("'{}' belongs to Distributed Map, which is not "
                                               "supported yet",
                                               field));
      reader.allow({field});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
