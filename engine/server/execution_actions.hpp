// The execution actions: StartExecution, StartSyncExecution, DescribeExecution,
// ListExecutions, GetExecutionHistory, StopExecution, RedriveExecution and
// DescribeStateMachineForExecution. Their answers reuse durable::describe_execution and
// the history events as the store keeps them (already in GetExecutionHistory's shape).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "engine/server/api_context.hpp"

namespace flowstate::server {

// The handlers, as ApiDispatcher's table lists them.
using boost::asio::awaitable;
using boost::json::object;
awaitable<object> start_execution(ApiContext& context, const object& request);
awaitable<object> start_sync_execution(ApiContext& context, const object& request);
awaitable<object> describe_execution(ApiContext& context, const object& request);
awaitable<object> list_executions(ApiContext& context, const object& request);
awaitable<object> get_execution_history(ApiContext& context, const object& request);
awaitable<object> stop_execution(ApiContext& context, const object& request);
awaitable<object> redrive_execution(ApiContext& context, const object& request);
awaitable<object> describe_state_machine_for_execution(ApiContext& context, const object& request);

}  // namespace flowstate::server
