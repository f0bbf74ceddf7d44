// Choice state: picks the Next state from the first matching rule, else Default, else fails
// with States.NoChoiceMatched.
#pragma once

#include <optional>
#include <vector>

#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/choice_rule.hpp"
#include "states/query_language.hpp"
#include "states/state_fields.hpp"

namespace flowstate::states {

struct ChoiceState {
  struct Choice {
    ChoiceRule rule;
    Transition next;
    Assignment assign;                        ///< set when this rule is chosen
    std::optional<JsonataTemplate> condition;  ///< JSONata rules (true, false or an expression)
    std::optional<JsonataTemplate> output;     ///< JSONata: the output when this rule is chosen
  };
  std::vector<Choice> choices;
  std::optional<Transition> default_next;

  /// The chosen rule, or the Default (a null rule), for an effective input.
  struct Selected {
    std::size_t next = 0;              ///< the next state's index
    const Choice* choice = nullptr;    ///< null when the Default was taken
  };
  boost::system::result<Selected, asl::Failure> select(const data::PathScope& scope) const;
};

/// Compiles Choices and Default. JSONPath rules are Variable + operator (ChoiceRule); JSONata
/// rules hold a Condition, which is validated and stood in for by ChoiceRule::jsonata_condition.
std::optional<ChoiceState> compile_choice_state(definition::FieldReader& reader,
                                               QueryLanguage language);

}  // namespace flowstate::states
