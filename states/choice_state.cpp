#include "states/choice_state.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"

namespace flowstate::states {

boost::system::result<std::size_t, asl::Failure> ChoiceState::select(
    const data::PathScope& scope) const {
  for (const Choice& choice : choices) {
    auto matched = choice.rule.evaluate(scope);
    if (!matched) return {boost::system::in_place_error, matched.error()};
    if (*matched) return choice.next.index;
  }
  if (default_next) return default_next->index;
  return {boost::system::in_place_error,
          asl::Failure(std::string(asl::error_name::kNoChoiceMatched),
                       "no Choice rule matched the input, and the state has no Default")};
}

std::optional<ChoiceState> compile_choice_state(definition::FieldReader& reader) {
  ChoiceState state;
  const boost::json::value* choices = reader.field("Choices", definition::Presence::required);
  if (choices && (!choices->is_array() || choices->get_array().empty())) {
    reader.error_at(*choices, "'Choices' must be a non-empty array of rules");
    choices = nullptr;
  }
  bool ok = true;
  if (choices) {
    const auto& array = choices->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      definition::FieldReader rule_reader(array[i], fmt::format("Choices[{}] of state '{}'", i,
                                                                reader.owner()),
                                          reader.document(), reader.diagnostics());
      if (!rule_reader.is_object()) {
        ok = false;
        continue;
      }
      auto next = rule_reader.string("Next", definition::Presence::required);
      auto rule = ChoiceRule::compile(array[i], RuleLevel::top, reader.document(),
                                      reader.diagnostics());
      if (!rule || !next) {
        ok = false;
        continue;
      }
      state.choices.push_back(ChoiceState::Choice{std::move(*rule), Transition{*next, 0}});
    }
  }
  if (auto default_next = reader.string("Default"))
    state.default_next = Transition{std::move(*default_next), 0};
  if (!ok) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
