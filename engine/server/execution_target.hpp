// ExecutionTarget: what a StartExecution / StartSyncExecution stateMachineArn runs — the
// state machine's current definition, one of its versions, or the version an alias routes
// this execution to (StateMachineAlias::routed_version).
#pragma once

#include <string>
#include <string_view>

#include "engine/server/api_context.hpp"
#include "engine/server/state_machine_registry.hpp"

namespace flowstate::server {

struct ExecutionTarget {
  StateMachine machine;
  std::string definition;   ///< the text that runs
  std::string version_arn;  ///< "" for an unqualified ARN
  std::string alias_arn;    ///< "" unless the ARN names an alias
};

/// Throws ApiError InvalidArn, or StateMachineDoesNotExist for a machine, version or alias
/// that does not exist.
ExecutionTarget execution_target(const ApiContext& context, std::string_view arn);

}  // namespace flowstate::server
