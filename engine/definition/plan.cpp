#include "engine/definition/plan.hpp"

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

}  // namespace flowstate::definition
