// Fail state: stops its execution (or branch) as failed with an Error and Cause, given
// literally or computed by ErrorPath / CausePath (a reference path or a string intrinsic).
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/intrinsic_call.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/jsonata_template.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

struct FailState {
  using Computed = std::variant<data::JsonPath, data::IntrinsicCall>;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<Computed> error_path;
  std::optional<Computed> cause_path;
  /// JSONata states: Error and Cause written as expressions.
  std::optional<JsonataTemplate> error_expression;
  std::optional<JsonataTemplate> cause_expression;

  /// What the state raises: the Failure it names.
  struct Raised {
    asl::Failure failure;
  };

  /// The Failure this state raises for `input`; a path that finds nothing is itself a
  /// States.Runtime failure (detail only; the runtime adds the state prefix).
  boost::system::result<Raised, asl::Failure> evaluate(const data::PathScope& scope) const;
  /// The same in a JSONata state (an expression's result that is not a string is written as
  /// JSON text).
  boost::system::result<Raised, asl::Failure> evaluate(const JsonataScope& scope) const;
};

std::optional<FailState> compile_fail_state(definition::FieldReader& reader,
                                           QueryLanguage language);

}  // namespace flowstate::states
