#include "states/choice_state.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"

namespace flowstate::states {

boost::system::result<ChoiceState::Selected, asl::Failure> ChoiceState::select(
    const data::PathScope& scope) const {
  for (const Choice& choice : choices) {
    auto matched = choice.rule.evaluate(scope);
    if (!matched) return {boost::system::in_place_error, matched.error()};
    if (*matched) return Selected{choice.next.index, &choice};
  }
  if (default_next) return Selected{default_next->index, nullptr};
  return {boost::system::in_place_error,
          asl::Failure(std::string(asl::error_name::kNoChoiceMatched),
                       "no Choice rule matched the input, and the state has no Default")};
}

namespace {

// A JSONata rule: {Condition, Next, Assign?, Output?, Comment?}. "Condition: boolean literal or
// expression that must yield a boolean" (asl-reference §1.3).
std::optional<ChoiceRule> compile_jsonata_rule(definition::FieldReader& rule) {
  rule.allow({"Comment"});
  reject_for_language(rule, "Variable", QueryLanguage::jsonata);
  const boost::json::value* condition = rule.field("Condition", definition::Presence::required);
  if (!condition) return std::nullopt;
  if (condition->is_string() && is_jsonata_expression(condition->get_string())) {
    check_jsonata_value(rule, *condition, "Condition");
  } else if (!condition->is_bool()) {
    rule.error_at(*condition, fmt::format("'Condition' must be true, false or a JSONata "
                                          "expression \"{{% ... %}}\", not {}",
                                          definition::describe_kind(*condition)));
    return std::nullopt;
  }
  return ChoiceRule::jsonata_condition();
}

}  // namespace

std::optional<ChoiceState> compile_choice_state(definition::FieldReader& reader,
                                               QueryLanguage language) {
  ChoiceState state;
  const boost::json::value* choices = reader.field("Choices", definition::Presence::required);
  if (choices && (!choices->is_array() || choices->get_array().empty())) {
    reader.error_at(*choices, fmt::format("'Choices' must be a non-empty array of rules, not {}",
                                          choices->is_array()
                                              ? "an empty array"
                                              : definition::describe_kind(*choices)));
    choices = nullptr;
  }
  bool ok = true;
  if (choices) {
    const auto& array = choices->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      definition::FieldReader rule_reader(array[i],
                                          fmt::format("Choices[{}] of {}", i, reader.owner()),
                                          reader);
      if (!rule_reader.is_object()) {
        ok = false;
        continue;
      }
      auto next = rule_reader.string("Next", definition::Presence::required);
      auto assign = compile_assign(rule_reader, language, fmt::format("Choices[{}]/Assign", i));
      std::optional<ChoiceRule> rule;
      std::optional<JsonataTemplate> condition, output;
      if (language == QueryLanguage::jsonata) {
        output = compile_output(rule_reader, language, fmt::format("Choices[{}]/Output", i));
        rule = compile_jsonata_rule(rule_reader);
        if (rule)
          condition = JsonataTemplate::compile(*rule_reader.field("Condition"),
                                               fmt::format("Choices[{}]/Condition", i), rule_reader);
        rule_reader.report_unknown_fields();
        if (!condition) rule.reset();
      } else {
        rule = ChoiceRule::compile(array[i], RuleLevel::top, reader.document(),
                                   reader.diagnostics());
      }
      if (!rule || !next) {
        ok = false;
        continue;
      }
      state.choices.push_back(ChoiceState::Choice{std::move(*rule), Transition{*next, 0}, std::move(assign),
                                                  std::move(condition), std::move(output)});
    }
  }
  if (auto default_next = reader.string("Default"))
    state.default_next = Transition{std::move(*default_next), 0};
  if (!ok) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
