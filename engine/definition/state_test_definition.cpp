#include "engine/definition/state_test_definition.hpp"

#include <set>

#include "engine/data/json_codec.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/document.hpp"

namespace flowstate::definition {

namespace json = boost::json;

namespace {

// A plan TestState can run: compiled without a problem, and using no feature the runtime
// refuses (Plan::unsupported).
std::optional<Plan> runnable_plan(const Document& document, Diagnostics& diagnostics) {
  auto plan = compile_plan(document, diagnostics);
  if (!plan || !diagnostics.empty()) return std::nullopt;
  for (const Diagnostic& unsupported : plan->unsupported) diagnostics.add(unsupported.location, unsupported.message);
  if (!diagnostics.empty()) return std::nullopt;
  return plan;
}

// The states a state's definition may go to: Next, Default, and the Next of each Choices
// rule and Catch catcher.
std::set<std::string> transition_targets(const json::object& state) {
  std::set<std::string> targets;
  auto add = [&](const json::object& object) {
    if (const json::value* next = object.if_contains("Next"); next && next->is_string())
      targets.emplace(next->get_string());
  };
  add(state);
  if (const json::value* fallback = state.if_contains("Default"); fallback && fallback->is_string())
    targets.emplace(fallback->get_string());
  for (std::string_view list : {"Choices", "Catch"}) {
    const json::value* entries = state.if_contains(list);
    if (!entries || !entries->is_array()) continue;
    for (const json::value& entry : entries->get_array())
      if (entry.is_object()) add(entry.get_object());
  }
  targets.erase(std::string(kTestedStateName));
  return targets;
}

}  // namespace

std::optional<StateTestDefinition> compile_state_test_definition(std::string_view text, std::string file,
                                                                 const std::optional<std::string>& state_name,
                                                                 Diagnostics& diagnostics) {
  if (state_name) {
    auto document = Document::parse(text, std::move(file), diagnostics);
    if (!document) return std::nullopt;
    auto plan = runnable_plan(*document, diagnostics);
    if (!plan) return std::nullopt;
    return StateTestDefinition{std::move(*plan), *state_name};
  }
  auto state = data::parse_json(text);
  if (!state || !state->is_object()) {
    // Let the document reader say what is wrong with the text, if it can.
    if (!state) Document::parse(text, file, diagnostics);
    if (diagnostics.empty())
      diagnostics.add({file, 1, 1}, "the definition of a state must be a JSON object, e.g. {\"Type\": \"Pass\", "
                                    "\"End\": true}; a whole machine needs the name of the state to test");
    return std::nullopt;
  }
  // The state's text goes in unchanged, on the wrapper's first line: diagnostics keep its
  // line numbers.
  std::string machine = "{\"StartAt\":";
  data::append_json_string(machine, kTestedStateName);
  machine += ",\"States\":{";
  data::append_json_string(machine, kTestedStateName);
  machine += ':';
  machine += text;
  for (const std::string& target : transition_targets(state->get_object())) {
    machine += ',';
    data::append_json_string(machine, target);
    machine += ":{\"Type\":\"Succeed\"}";
  }
  machine += "}}";
  auto document = Document::parse(machine, std::move(file), diagnostics);
  if (!document) return std::nullopt;
  auto plan = runnable_plan(*document, diagnostics);
  if (!plan) return std::nullopt;
  return StateTestDefinition{std::move(*plan), std::string(kTestedStateName)};
}

}  // namespace flowstate::definition
