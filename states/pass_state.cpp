#include "states/pass_state.hpp"

namespace flowstate::states {

std::optional<PassState> compile_pass_state(definition::FieldReader& reader,
                                           QueryLanguage language) {
  PassState state;
  if (reject_for_language(reader, "Result", language)) return state;
  if (const boost::json::value* result = reader.field("Result")) state.result = *result;
  return state;
}

}  // namespace flowstate::states
