#include "engine/server/api_dispatcher.hpp"

#include <fmt/format.h>

#include "engine/durable/execution_host.hpp"
#include "engine/server/actions.hpp"
#include "engine/store/store_error.hpp"

namespace flowstate::server {

namespace json = boost::json;

namespace {

constexpr std::string_view kLocalTargetPrefix = "Flowstate.";

}  // namespace

ApiDispatcher::ApiDispatcher(ApiContext& context)
    : context_(context),
      // One line per action.
      actions_{{"CreateStateMachine", &create_state_machine},
               {"DescribeStateMachine", &describe_state_machine},
               {"UpdateStateMachine", &update_state_machine},
               {"DeleteStateMachine", &delete_state_machine},
               {"ListStateMachines", &list_state_machines},
               {"ValidateStateMachineDefinition", &validate_state_machine_definition},
               {"PublishStateMachineVersion", &publish_state_machine_version},
               {"ListStateMachineVersions", &list_state_machine_versions},
               {"DeleteStateMachineVersion", &delete_state_machine_version},
               {"CreateStateMachineAlias", &create_state_machine_alias},
               {"DescribeStateMachineAlias", &describe_state_machine_alias},
               {"UpdateStateMachineAlias", &update_state_machine_alias},
               {"DeleteStateMachineAlias", &delete_state_machine_alias},
               {"ListStateMachineAliases", &list_state_machine_aliases},
               {"TagResource", &tag_resource},
               {"UntagResource", &untag_resource},
               {"ListTagsForResource", &list_tags_for_resource},
               {"StartExecution", &start_execution},
               {"StartSyncExecution", &start_sync_execution},
               {"DescribeExecution", &describe_execution},
               {"ListExecutions", &list_executions},
               {"GetExecutionHistory", &get_execution_history},
               {"StopExecution", &stop_execution},
               {"RedriveExecution", &redrive_execution},
               {"DescribeStateMachineForExecution", &describe_state_machine_for_execution},
               {"SendTaskSuccess", &send_task_success},
               {"SendTaskFailure", &send_task_failure},
               {"SendTaskHeartbeat", &send_task_heartbeat},
               {"CreateActivity", &create_activity},
               {"DescribeActivity", &describe_activity},
               {"ListActivities", &list_activities},
               {"DeleteActivity", &delete_activity},
               {"GetActivityTask", &get_activity_task},
               {"ListMapRuns", &list_map_runs},
               {"DescribeMapRun", &describe_map_run},
               {"UpdateMapRun", &update_map_run},
               {"TestState", &test_state}},
      local_actions_{{"StartDefinition", &start_definition},
                     {"ResumeExecution", &resume_execution},
                     {"RedriveExecution", &redrive_execution_from}} {}

boost::asio::awaitable<ApiAnswer> ApiDispatcher::answer(std::string_view target, std::string_view body,
                                                       bool local) {
  std::optional<ApiError> failure;
  try {
    const ActionTable* table = &actions_;
    if (target.starts_with(kLocalTargetPrefix)) {
      if (!local)
        throw ApiError("AccessDeniedException",
                       fmt::format("{} is one of flowstate's local actions, which take the store's key", target),
                       403);
      table = &local_actions_;
      target.remove_prefix(kLocalTargetPrefix.size());
    }
    std::string action = table == &actions_ ? action_of_target(target) : std::string(target);
    auto handler = table->find(action);
    if (handler == table->end())
      throw ApiError("UnknownOperationException",
                     fmt::format("the operation {} is not supported by this server", action));
    json::object request = parse_request_body(body);
    co_return success_answer(co_await handler->second(context_, request));
  } catch (const ApiError& error) {
    failure = error;
  } catch (const store::StoreError& error) {
    failure = ApiError("InternalFailure", fmt::format("store error: {}", error.what()), 500);
  } catch (const std::exception& error) {
    failure = ApiError("InternalFailure", error.what(), 500);
  }
  co_return error_answer(*failure);
}

}  // namespace flowstate::server
