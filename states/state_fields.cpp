#include "states/state_fields.hpp"

#include <string_view>

#include <fmt/format.h>

namespace flowstate::states {

namespace json = boost::json;
using asl::StateType;

namespace {

// Which shared fields each state type accepts (ASL spec, "Common State Fields").
struct FieldRules {
  bool transition;       // Next / End
  bool filter_paths;     // InputPath / OutputPath
  bool parameters;       // Parameters (Map reads its legacy Parameters itself)
  bool result_selector;  // ResultSelector
  bool result_path;      // ResultPath
  bool error_handling;   // Retry / Catch
};

FieldRules rules_for(StateType type) {
  switch (type) {
    case StateType::pass: return {true, true, true, false, true, false};
    case StateType::task: return {true, true, true, true, true, true};
    case StateType::choice: return {false, true, false, false, false, false};
    case StateType::wait: return {true, true, false, false, false, false};
    case StateType::succeed: return {false, true, false, false, false, false};
    case StateType::fail: return {false, false, false, false, false, false};
    case StateType::parallel: return {true, true, true, true, true, true};
    case StateType::map: return {true, true, false, true, true, true};
  }
  return {};
}

bool contains_context_reference(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string: return std::string_view(value.get_string()).find("$$") != std::string_view::npos;
    case json::kind::array:
      for (const auto& element : value.get_array())
        if (contains_context_reference(element)) return true;
      return false;
    case json::kind::object:
      for (const auto& member : value.get_object()) {
        // Nested state machines are compiled (and scanned) on their own.
        if (member.key() == "Branches" || member.key() == "ItemProcessor" ||
            member.key() == "Iterator")
          continue;
        if (contains_context_reference(member.value())) return true;
      }
      return false;
    default: return false;
  }
}

std::optional<data::PayloadTemplate> compile_template(definition::FieldReader& reader,
                                                      std::string_view field) {
  const json::value* value = reader.field(field);
  if (!value) return std::nullopt;
  return data::PayloadTemplate::compile(*value, [&](const json::value& node, std::string message) {
    reader.error_at(node, fmt::format("'{}': {}", field, std::move(message)));
  });
}

void reject(definition::FieldReader& reader, std::string_view field, StateType type) {
  if (reader.has(field)) {
    reader.error_at_field(field, fmt::format("{} states do not accept the field '{}'",
                                             asl::to_string(type), field));
    reader.allow({field});
  }
}

}  // namespace

StateFields compile_state_fields(definition::FieldReader& reader, std::string name,
                                 StateType type) {
  StateFields fields;
  fields.name = std::move(name);
  fields.type = type;
  FieldRules rules = rules_for(type);
  reader.allow({"Type", "Comment"});

  if (reader.has("QueryLanguage")) {
    auto language = reader.string("QueryLanguage");
    if (language && *language != "JSONPath")
      reader.error_at_field("QueryLanguage",
                            fmt::format("QueryLanguage \"{}\" is not supported yet; flowstate runs "
                                        "JSONPath states (JSONata is planned)",
                                        *language));
  }
  if (reader.has("Assign")) {
    reader.error_at_field("Assign", "'Assign' (workflow variables) is not supported yet");
    reader.allow({"Assign"});
  }

  if (rules.transition) {
    auto next = reader.string("Next");
    const json::value* end = reader.field("End");
    bool is_end = false;
    if (end) {
      if (!end->is_bool()) reader.error_at(*end, "'End' must be true or false");
      else is_end = end->get_bool();
    }
    if (next && is_end)
      reader.error(fmt::format("state '{}' has both 'Next' and 'End: true'; keep one",
                               fields.name));
    else if (!next && !is_end && !reader.has("Next"))
      reader.error(fmt::format("state '{}' has neither 'Next' nor 'End: true'; {} states need "
                               "one",
                               fields.name, asl::to_string(type)));
    if (next) fields.next = Transition{std::move(*next), 0};
  } else {
    reject(reader, "Next", type);
    reject(reader, "End", type);
  }

  if (rules.filter_paths) {
    if (auto path = compile_filter_path(reader, "InputPath")) fields.input_path = std::move(*path);
    if (auto path = compile_filter_path(reader, "OutputPath")) fields.output_path = std::move(*path);
  } else {
    reject(reader, "InputPath", type);
    reject(reader, "OutputPath", type);
  }

  if (rules.parameters) fields.parameters = compile_template(reader, "Parameters");
  else if (type != StateType::map) reject(reader, "Parameters", type);

  if (rules.result_selector) fields.result_selector = compile_template(reader, "ResultSelector");
  else reject(reader, "ResultSelector", type);

  if (rules.result_path) {
    if (auto path = compile_result_path(reader, "ResultPath")) fields.result_path = std::move(*path);
  } else {
    reject(reader, "ResultPath", type);
  }

  if (rules.error_handling) {
    fields.retry = compile_retry_policy(reader);
    fields.catch_policy = compile_catch_policy(reader);
  } else {
    reject(reader, "Retry", type);
    reject(reader, "Catch", type);
  }

  fields.reads_context = contains_context_reference(reader.node());
  return fields;
}

}  // namespace flowstate::states
