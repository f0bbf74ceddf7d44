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
#include "states/state_fields.hpp"

namespace flowstate::states {

struct ChoiceState {
  struct Choice {
    ChoiceRule rule;
    Transition next;
  };
  std::vector<Choice> choices;
  std::optional<Transition> default_next;

  /// The index of the next state for an effective input.
  boost::system::result<std::size_t, asl::Failure> select(const data::PathScope& scope) const;
};

std::optional<ChoiceState> compile_choice_state(definition::FieldReader& reader);

}  // namespace flowstate::states
