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

// Whether a string anywhere in the state (not in its nested state machines, which are
// compiled and scanned on their own) satisfies `matches`.
template <class Matches>
bool any_string(const json::value& value, const Matches& matches) {
  switch (value.kind()) {
    case json::kind::string: return matches(std::string_view(value.get_string()));
    case json::kind::array:
      for (const auto& element : value.get_array())
        if (any_string(element, matches)) return true;
      return false;
    case json::kind::object:
      for (const auto& member : value.get_object()) {
        if (member.key() == "Branches" || member.key() == "ItemProcessor" ||
            member.key() == "Iterator")
          continue;
        if (any_string(member.value(), matches)) return true;
      }
      return false;
    default: return false;
  }
}

// "$$" in a JSONPath state, $states.context in a JSONata one.
bool contains_context_reference(const json::value& value) {
  return any_string(value, [](std::string_view text) { return text.find("$$") != std::string_view::npos; });
}

bool reads_states_context(const json::value& value) {
  return any_string(value, [](std::string_view text) {
    return is_jsonata_expression(text) && expression_reads_context(text);
  });
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
    reader.error_at_field(field, fmt::format("{} states do not accept the field '{}'; remove it "
                                             "from {}",
                                             asl::to_string(type), field, reader.owner()));
    reader.allow({field});
  }
}

// The language the state's fields are written in: its own QueryLanguage, else the machine's.
// "A JSONPath machine may mix in JSONata states; a JSONata machine may not contain JSONPath
// states" (asl-reference §4.1).
QueryLanguage resolve_language(definition::FieldReader& reader, QueryLanguage machine_language) {
  auto language = reader.string("QueryLanguage");
  if (!language) return machine_language;
  if (*language == "JSONata") return QueryLanguage::jsonata;
  if (*language != "JSONPath") {
    reader.error_at_field("QueryLanguage", fmt::format("'QueryLanguage' must be \"JSONPath\" or "
                                                       "\"JSONata\", not \"{}\"",
                                                       *language));
    return machine_language;
  }
  if (machine_language == QueryLanguage::jsonata)
    reader.error_at_field("QueryLanguage", "'QueryLanguage' cannot be \"JSONPath\" in a state "
                                           "machine whose QueryLanguage is \"JSONata\"; remove "
                                           "it and write the state in JSONata");
  return QueryLanguage::jsonpath;
}

}  // namespace

StateFields compile_state_fields(definition::FieldReader& reader, std::string name,
                                 StateType type, QueryLanguage machine_language) {
  StateFields fields;
  fields.name = std::move(name);
  fields.type = type;
  FieldRules rules = rules_for(type);
  reader.allow({"Type", "Comment"});
  QueryLanguage language = resolve_language(reader, machine_language);
  fields.query_language = language;
  bool jsonata = language == QueryLanguage::jsonata;

  if (type == StateType::succeed || type == StateType::fail) reject(reader, "Assign", type);
  else fields.assign = compile_assign(reader, language);
  if (type == StateType::fail) reject(reader, "Output", type);
  else fields.output = compile_output(reader, language);
  if (type == StateType::task || type == StateType::parallel) {
    if (!reject_for_language(reader, "Arguments", language))
      if (const json::value* arguments = reader.field("Arguments")) {
        check_jsonata_value(reader, *arguments, "Arguments");
        fields.arguments = JsonataTemplate::compile(*arguments, "Arguments", reader);
      }
  } else {
    reject(reader, "Arguments", type);
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
      reader.error_at_field("End", fmt::format("{} has both 'Next' and 'End: true'; keep one",
                                               reader.owner()));
    else if (!next && !is_end && !reader.has("Next") && !(end && !end->is_bool()))
      reader.error(fmt::format("{} has neither 'Next' nor 'End: true'; add one of them",
                               reader.owner()));
    if (next) fields.next = Transition{std::move(*next), 0};
  } else {
    reject(reader, "Next", type);
    reject(reader, "End", type);
  }

  // A JSONPath-only field in a JSONata state is refused once: by the type's rules when the
  // type never accepts it, else by the language's.
  auto jsonpath_field = [&](bool accepted_by_type, std::string_view field) {
    if (!accepted_by_type) {
      if (!(type == StateType::map && field == "Parameters")) reject(reader, field, type);
      return false;
    }
    return !reject_for_language(reader, field, language);
  };

  if (jsonpath_field(rules.filter_paths, "InputPath"))
    if (auto path = compile_filter_path(reader, "InputPath")) fields.input_path = std::move(*path);
  if (jsonpath_field(rules.filter_paths, "OutputPath"))
    if (auto path = compile_filter_path(reader, "OutputPath"))
      fields.output_path = std::move(*path);
  if (jsonpath_field(rules.parameters, "Parameters"))
    fields.parameters = compile_template(reader, "Parameters");
  if (jsonpath_field(rules.result_selector, "ResultSelector"))
    fields.result_selector = compile_template(reader, "ResultSelector");
  if (jsonpath_field(rules.result_path, "ResultPath"))
    if (auto path = compile_result_path(reader, "ResultPath"))
      fields.result_path = std::move(*path);

  if (rules.error_handling) {
    fields.retry = compile_retry_policy(reader);
    fields.catch_policy = compile_catch_policy(reader, language);
  } else {
    reject(reader, "Retry", type);
    reject(reader, "Catch", type);
  }

  fields.reads_context = jsonata ? reads_states_context(reader.node())
                                 : contains_context_reference(reader.node());
  return fields;
}

}  // namespace flowstate::states
