#include "states/pass_state.hpp"

namespace flowstate::states {

std::optional<PassState> compile_pass_state(definition::FieldReader& reader) {
  PassState state;
  if (const boost::json::value* result = reader.field("Result")) state.result = *result;
  return state;
}

}  // namespace flowstate::states
