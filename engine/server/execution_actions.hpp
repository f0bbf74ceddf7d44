// The execution actions: StartExecution, StartSyncExecution, DescribeExecution,
// ListExecutions, GetExecutionHistory, StopExecution, RedriveExecution and
// DescribeStateMachineForExecution. Their answers reuse durable::describe_execution and
// the history events as the store keeps them (already in GetExecutionHistory's shape).
#pragma once

#include "engine/server/api_dispatcher.hpp"

namespace flowstate::server {

void add_execution_actions(ActionTable& table);

}  // namespace flowstate::server
