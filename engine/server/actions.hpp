// The handlers of the actions the server serves, one per action, as ApiDispatcher's table
// lists them. Each reads the request's members and answers the response object, or throws
// ApiError. State machine actions (CreateStateMachine, ..., ValidateStateMachineDefinition
// and the tag actions) are in state_machine_actions.cpp; execution actions (StartExecution,
// ..., DescribeStateMachineForExecution) in execution_actions.cpp, whose answers reuse
// durable::describe_execution and the history events as the store keeps them; SendTask* in
// task_actions.cpp; the activity actions and GetActivityTask in activity_actions.cpp;
// ListMapRuns, DescribeMapRun and UpdateMapRun in map_run_actions.cpp.
// PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion in
// version_actions.cpp; the alias actions in alias_actions.cpp.
// TestState in test_state_action.cpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/definition/diagnostic.hpp"
#include "engine/server/api_context.hpp"
#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

using boost::asio::awaitable;
using boost::json::object;

awaitable<object> create_state_machine(ApiContext& context, const object& request);
awaitable<object> describe_state_machine(ApiContext& context, const object& request);
awaitable<object> update_state_machine(ApiContext& context, const object& request);
awaitable<object> delete_state_machine(ApiContext& context, const object& request);
awaitable<object> list_state_machines(ApiContext& context, const object& request);
awaitable<object> validate_state_machine_definition(ApiContext& context, const object& request);
awaitable<object> tag_resource(ApiContext& context, const object& request);
awaitable<object> untag_resource(ApiContext& context, const object& request);
awaitable<object> list_tags_for_resource(ApiContext& context, const object& request);

awaitable<object> publish_state_machine_version(ApiContext& context, const object& request);
awaitable<object> list_state_machine_versions(ApiContext& context, const object& request);
awaitable<object> delete_state_machine_version(ApiContext& context, const object& request);

awaitable<object> create_state_machine_alias(ApiContext& context, const object& request);
awaitable<object> describe_state_machine_alias(ApiContext& context, const object& request);
awaitable<object> update_state_machine_alias(ApiContext& context, const object& request);
awaitable<object> delete_state_machine_alias(ApiContext& context, const object& request);
awaitable<object> list_state_machine_aliases(ApiContext& context, const object& request);

awaitable<object> start_execution(ApiContext& context, const object& request);
awaitable<object> start_sync_execution(ApiContext& context, const object& request);
awaitable<object> describe_execution(ApiContext& context, const object& request);
awaitable<object> list_executions(ApiContext& context, const object& request);
awaitable<object> get_execution_history(ApiContext& context, const object& request);
awaitable<object> stop_execution(ApiContext& context, const object& request);
awaitable<object> redrive_execution(ApiContext& context, const object& request);
awaitable<object> describe_state_machine_for_execution(ApiContext& context, const object& request);

awaitable<object> send_task_success(ApiContext& context, const object& request);
awaitable<object> send_task_failure(ApiContext& context, const object& request);
awaitable<object> send_task_heartbeat(ApiContext& context, const object& request);

awaitable<object> create_activity(ApiContext& context, const object& request);
awaitable<object> describe_activity(ApiContext& context, const object& request);
awaitable<object> list_activities(ApiContext& context, const object& request);
awaitable<object> delete_activity(ApiContext& context, const object& request);
awaitable<object> get_activity_task(ApiContext& context, const object& request);

awaitable<object> list_map_runs(ApiContext& context, const object& request);
awaitable<object> describe_map_run(ApiContext& context, const object& request);
awaitable<object> update_map_run(ApiContext& context, const object& request);
awaitable<object> test_state(ApiContext& context, const object& request);

// The CLI's local actions on the store a server holds (local_actions.cpp).
awaitable<object> start_definition(ApiContext& context, const object& request);
awaitable<object> resume_execution(ApiContext& context, const object& request);
awaitable<object> redrive_execution_from(ApiContext& context, const object& request);

/// The state machine a stateMachineArn names (without a "#TestCase" suffix); throws
/// ApiError InvalidArn or StateMachineDoesNotExist.
StateMachine find_state_machine(const ApiContext& context, std::string_view arn);
/// The execution an executionArn names; throws ApiError InvalidArn or ExecutionDoesNotExist.
durable::ExecutionRecord find_execution(const ApiContext& context, std::string_view arn);

/// The longest description of a version or an alias (AWS's VersionDescription and
/// AliasDescription).
inline constexpr std::size_t kMaxVersionDescription = 256;

/// Writes `machine` and publishes its current revision as its next version, unless a
/// version of that revision exists: AWS's publish "doesn't create a duplicate state machine
/// version if it already exists for the current revision"; that one is returned then.
/// Throws ApiError ServiceQuotaExceededException (1,000 versions).
StateMachineVersion publish_version(ApiContext& context, StateMachine& machine, const std::string& description);

/// InvalidDefinition listing every problem, each "definition:LINE:COL: error: MESSAGE".
ApiError invalid_definition(const std::vector<definition::Diagnostic>& problems);

/// The request's `input` ("{}" when absent) as JSON; throws ApiError InvalidExecutionInput.
boost::json::value parsed_input(const object& request);

}  // namespace flowstate::server
