// StateTestDefinition: the compiled machine TestState runs one state of. AWS's TestState takes
// one state's definition, or a whole machine and the name of the state to test (stateName);
// a single state is wrapped into a machine of its own, whose other states are Succeed states
// standing for its Next, Default, Choices and Catch targets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/definition/diagnostic.hpp"
#include "engine/definition/plan.hpp"

namespace flowstate::definition {

/// The name a single state's definition runs under ($$.State.Name, error causes), since it
/// has none of its own.
inline constexpr std::string_view kTestedStateName = "TestState";

struct StateTestDefinition {
  Plan plan;
  std::string state;  ///< the state to test, at any depth of the plan
};

/// `text`: one state's definition (a JSON object), or with `state_name` a whole machine
/// (YAML or JSON, as any definition). nullopt after recording the diagnostics, which name
/// `file`.
std::optional<StateTestDefinition> compile_state_test_definition(std::string_view text, std::string file,
                                                                 const std::optional<std::string>& state_name,
                                                                 Diagnostics& diagnostics);

}  // namespace flowstate::definition
