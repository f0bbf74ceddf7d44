// Parallel state: runs every branch on a copy of its effective input, concurrently; the
// result is the array of branch outputs in Branches order. The first failing branch stops
// the others and fails the state with that branch's own error.
#pragma once

#include <optional>
#include <vector>

#include "engine/definition/field_reader.hpp"
#include "states/state_machine_ref.hpp"

namespace flowstate::states {

struct ParallelState {
  std::vector<StateMachinePtr> branches;
};

std::optional<ParallelState> compile_parallel_state(definition::FieldReader& reader,
                                                    const NestedMachineCompiler& compile_machine);

}  // namespace flowstate::states
