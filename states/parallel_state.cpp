#include "states/parallel_state.hpp"

#include <fmt/format.h>

namespace flowstate::states {

std::optional<ParallelState> compile_parallel_state(definition::FieldReader& reader,
                                                    const NestedMachineCompiler& compile_machine) {
  ParallelState state;
  const boost::json::value* branches = reader.field("Branches", definition::Presence::required);
  if (!branches) return std::nullopt;
  if (!branches->is_array() || branches->get_array().empty()) {
    reader.error_at(*branches, "'Branches' must be a non-empty array of state machines");
    return std::nullopt;
  }
  bool ok = true;
  const auto& array = branches->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    auto machine = compile_machine(array[i], fmt::format("Branches[{}] of {}", i, reader.owner()));
    if (!machine) ok = false;
    state.branches.push_back(std::move(machine));
  }
  if (!ok) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
