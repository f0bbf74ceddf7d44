// Pass state: passes its input to its output, or injects a fixed Result (ASL "Pass State").
#pragma once

#include <optional>

#include <boost/json/value.hpp>

#include "engine/definition/field_reader.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

struct PassState {
  /// "Result": the virtual task result, used as written (".$" keys are not evaluated).
  std::optional<boost::json::value> result;
};

std::optional<PassState> compile_pass_state(definition::FieldReader& reader,
                                           QueryLanguage language);

}  // namespace flowstate::states
