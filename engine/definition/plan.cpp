#include "engine/definition/plan.hpp"

#include <algorithm>

namespace flowstate::states {

void StateMachineDeleter::operator()(definition::StateMachine* machine) const { delete machine; }

}  // namespace flowstate::states

namespace flowstate::definition {

std::string machine_name_of(const std::filesystem::path& file) {
  std::filesystem::path stem = file.stem();
  if (stem.extension() == ".asl") stem = stem.stem();
  return stem.string();
}

std::optional<std::size_t> StateMachine::find(std::string_view name) const {
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i].fields.name == name) return i;
  return std::nullopt;
}

bool StateMachine::defines(std::string_view name) const {
  return std::any_of(states.begin(), states.end(), [&](const CompiledState& state) {
    if (state.fields.name == name) return true;
    if (const auto* parallel = std::get_if<states::ParallelState>(&state.body))
      return std::any_of(parallel->branches.begin(), parallel->branches.end(),
                         [&](const auto& branch) { return branch->defines(name); });
    if (const auto* map = std::get_if<states::MapState>(&state.body)) return map->processor->defines(name);
    return false;
  });
}

}  // namespace flowstate::definition
