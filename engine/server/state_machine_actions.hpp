// The state machine actions: CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
// DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and the tag actions
// (TagResource, UntagResource, ListTagsForResource).
#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "engine/server/api_context.hpp"

namespace flowstate::server {

// The handlers, as ApiDispatcher's table lists them.
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

/// The state machine a stateMachineArn names (a "#TestCase" suffix is not part of it);
/// throws ApiError InvalidArn or StateMachineDoesNotExist.
StateMachine find_state_machine(const ApiContext& context, std::string_view arn);

}  // namespace flowstate::server
