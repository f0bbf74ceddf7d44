#include "states/parallel_state.hpp"

#include <fmt/format.h>

namespace flowstate::states {

std::optional<ParallelState> compile_parallel_state(definition::FieldReader& reader,
                                                    const NestedMachineCompiler& compile_machine) {
  ParallelState state;
  const boost::json::value* branches = reader.field("Branches", definition::Presence::required);
  if (!branches) return std::nullopt;
  if (!branches->is_array() || branches->get_array().empty()) {
    std::string_view kind = branches->is_array() ? "an empty array"
                                                 : definition::describe_kind(*branches);
    reader.error_at(*branches, fmt::format("'Branches' must be a non-empty array of branches "
                                           "(each with StartAt and States), not {}",
                                           kind));
    return std::nullopt;
  }
  bool ok = true;
  const auto& array = branches->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    auto machine = compile_machine(array[i], fmt::format("Branches[{}] of {}", i, reader.owner()),
                                   NestedBlock::branch);
    if (!machine) ok = false;
    state.branches.push_back(std::move(machine));
  }
  if (!ok) return std::nullopt;
  return state;
}

}  // namespace flowstate::states
