#include "engine/runtime/io_pipeline.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/context_object.hpp"

namespace flowstate::runtime {

namespace json = boost::json;

ValueResult select_filter_path(const states::FilterPath& path, const json::value& value,
                               const Lookups& lookups) {
  switch (path.mode) {
    case states::FilterPath::Mode::whole: return value;
    case states::FilterPath::Mode::empty: return json::value(json::object());
    case states::FilterPath::Mode::path: break;
  }
  auto selected = path.path->evaluate(lookups.over(value));
  if (!selected) {
    return asl::Failure(std::string(asl::error_name::kRuntime),
                        fmt::format("Invalid path '{}' : {}", path.path->text(),
                                    selected.error().detail));
  }
  return std::move(*selected);
}

ValueResult apply_filter_path(const states::FilterPath& path, json::value value,
                              const Lookups& lookups) {
  if (path.mode == states::FilterPath::Mode::whole) return value;
  return select_filter_path(path, value, lookups);
}

ValueResult effective_input(const states::StateFields& fields, const json::value& raw_input,
                            const Lookups& lookups) {
  if (fields.query_language == states::QueryLanguage::jsonata) {
    if (!fields.arguments) return raw_input;
    Lookups arguments = lookups;
    arguments.state_input = &raw_input;
    auto evaluated = fields.arguments->evaluate(arguments.jsonata());
    if (evaluated) lookups.observe(PipelineStage::after_arguments, *evaluated);
    return evaluated;
  }
  if (fields.input_path.mode == states::FilterPath::Mode::whole) {
    lookups.observe(PipelineStage::after_input_path, raw_input);
    // Parameters read the raw input in place: no copy on the hot path.
    if (!fields.parameters) return raw_input;
    auto evaluated = fields.parameters->evaluate(lookups.over(raw_input));
    if (evaluated) lookups.observe(PipelineStage::after_parameters, *evaluated);
    return evaluated;
  }
  auto filtered = select_filter_path(fields.input_path, raw_input, lookups);
  if (filtered) lookups.observe(PipelineStage::after_input_path, *filtered);
  if (!filtered || !fields.parameters) return filtered;
  auto evaluated = fields.parameters->evaluate(lookups.over(*filtered));
  if (evaluated) lookups.observe(PipelineStage::after_parameters, *evaluated);
  return evaluated;
}

ValueResult apply_result_path(const states::ResultPath& path, json::value raw_input,
                              json::value result) {
  switch (path.mode) {
    case states::ResultPath::Mode::replace: return result;
    case states::ResultPath::Mode::discard: return raw_input;
    case states::ResultPath::Mode::path: break;
  }
  if (!path.path->assign(raw_input, std::move(result))) {
    return asl::Failure(std::string(asl::error_name::kResultPathMatchFailure),
                        fmt::format("Unable to apply ResultPath '{}' to input '{}'",
                                    path.path->text(), data::serialize_json(raw_input)));
  }
  return raw_input;
}

ValueResult state_output(const states::StateFields& fields, json::value raw_input,
                         json::value result, const Lookups& lookups) {
  lookups.observe(PipelineStage::result, result);
  if (fields.query_language == states::QueryLanguage::jsonata) {
    if (!fields.output) return result;
    Lookups output = lookups;
    output.state_input = &raw_input;
    output.result = &result;
    return fields.output->evaluate(output.jsonata());
  }
  if (fields.result_selector) {
    auto selected = fields.result_selector->evaluate(lookups.over(result));
    if (!selected) return selected;
    result = std::move(*selected);
  }
  lookups.observe(PipelineStage::after_result_selector, result);
  auto placed = apply_result_path(fields.result_path, std::move(raw_input), std::move(result));
  if (!placed) return placed;
  lookups.observe(PipelineStage::after_result_path, *placed);
  return apply_filter_path(fields.output_path, std::move(*placed), lookups);
}

ValueResult apply_output(const std::optional<states::JsonataTemplate>& output, json::value&& value,
                         const Lookups& lookups) {
  if (!output) return std::move(value);
  return output->evaluate(lookups.jsonata());
}

namespace {

asl::Failure data_limit(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kDataLimitExceeded), std::move(cause));
}

}  // namespace

ValueResult map_item_input(const states::MapState& map, const json::value& map_input,
                           const json::array& items, std::size_t index,
                           const std::optional<json::object>& item_context, const Lookups& lookups) {
  if (!map.item_selector && !map.jsonata_item_selector) return items[index];
  std::optional<json::value> item_ctx;
  if (item_context) item_ctx = json::value(with_map_item(*item_context, index, items[index]));
  Lookups item_lookups = lookups;
  item_lookups.context = item_ctx ? &*item_ctx : nullptr;
  return map.item_selector ? map.item_selector->evaluate(item_lookups.over(map_input))
                           : map.jsonata_item_selector->evaluate(item_lookups.jsonata());
}

AssignResult assigned_variables(const states::Assignment& assign, const json::value& value,
                                const Lookups& lookups) {
  if (!assign.jsonpath && !assign.jsonata) return std::optional<json::object>();
  auto assigned = assign.jsonpath ? assign.jsonpath->evaluate(lookups.over(value))
                                  : assign.jsonata->evaluate(lookups.jsonata());
  if (!assigned) return assigned.error();
  if (!assigned->is_object()) return std::optional<json::object>(json::object());
  // AWS's limits: a variable holds at most 256 KiB, and so do all the values of one Assign.
  std::size_t total = 0;
  for (const auto& member : assigned->get_object()) {
    std::size_t size = data::serialized_size(member.value());
    total += size;
    if (size > asl::kMaxPayloadBytes)
      return data_limit(fmt::format("The value assigned to the variable '{}' is {} bytes; a variable "
                                    "holds at most {} bytes.",
                                    member.key(), size, asl::kMaxPayloadBytes));
  }
  if (total > asl::kMaxPayloadBytes)
    return data_limit(fmt::format("The values of the state's Assign are {} bytes together; one "
                                  "Assign sets at most {} bytes.",
                                  total, asl::kMaxPayloadBytes));
  return std::optional<json::object>(std::move(assigned->as_object()));
}

}  // namespace flowstate::runtime
