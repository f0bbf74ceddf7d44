// The state machine actions: CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
// DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and the tag actions
// (TagResource, UntagResource, ListTagsForResource).
#pragma once

#include <string_view>

#include "engine/server/api_dispatcher.hpp"

namespace flowstate::server {

void add_state_machine_actions(ActionTable& table);

/// The state machine a stateMachineArn names (a "#TestCase" suffix is not part of it);
/// throws ApiError InvalidArn or StateMachineDoesNotExist.
StateMachine find_state_machine(const ApiContext& context, std::string_view arn);

}  // namespace flowstate::server
