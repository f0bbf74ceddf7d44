// CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias,
// DeleteStateMachineAlias and ListStateMachineAliases.
#include "engine/server/actions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/durable/execution_record.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

// AWS: "You can create up to 100 aliases for each state machine."
constexpr std::size_t kMaxAliases = 100;

[[noreturn]] void invalid(std::string_view message) {
  throw ApiError("ValidationException", fmt::format("1 validation error detected: {}", message));
}

[[noreturn]] void not_found(std::string_view arn) {
  throw ApiError("ResourceNotFound", fmt::format("Resource not found: '{}'", arn));
}

// An alias name is AWS's CharacterRestrictedName: 1-80 of [a-zA-Z0-9_.-], not all digits
// (pattern ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$), so it never reads as a version number.
void check_alias_name(const std::string& name) {
  bool allowed = !name.empty() && name.size() <= 80 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
  bool has_non_digit = std::any_of(name.begin(), name.end(), [](char c) { return c < '0' || c > '9'; });
  if (!allowed || !has_non_digit)
    invalid(fmt::format("Value '{}' at 'name' failed to satisfy constraint: Member must satisfy regular "
                        "expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
                        name));
}

// The versions a routingConfiguration names, all of one state machine.
struct Routing {
  std::string machine;
  std::vector<AliasRoute> routes;
};

// AWS: routingConfiguration holds "up to two state machine versions"; "If you specify the
// ARN of a second version, it must belong to the same state machine as the first version";
// weights are 0-100 and "The sum of the weights in the routing configuration must be equal
// to 100". A version that does not exist is ResourceNotFound.
Routing checked_routing(const ApiContext& context, const json::value& configuration) {
  if (!configuration.is_array()) invalid("Value at 'routingConfiguration' failed to satisfy constraint: Member must be a list");
  const json::array& items = configuration.get_array();
  if (items.empty() || items.size() > 2)
    invalid(fmt::format("Value at 'routingConfiguration' failed to satisfy constraint: Member must have length {}",
                        items.empty() ? "greater than or equal to 1" : "less than or equal to 2"));
  Routing routing;
  std::int64_t total = 0;
  for (const json::value& item : items) {
    if (!item.is_object()) invalid("Value at 'routingConfiguration' failed to satisfy constraint: Member must be a list of RoutingConfigurationListItem");
    std::string arn = required_string(item.get_object(), "stateMachineVersionArn");
    auto weight = optional_integer(item.get_object(), "weight");
    if (!weight) invalid("Value null at 'routingConfiguration.member.weight' failed to satisfy constraint: Member must not be null");
    if (*weight < 0 || *weight > 100)
      invalid(fmt::format("Value '{}' at 'routingConfiguration.member.weight' failed to satisfy constraint: "
                          "Member must have value between 0 and 100",
                          *weight));
    QualifiedStateMachine named = qualified_state_machine_of(arn);
    if (!named.version)
      throw ApiError("ValidationException", fmt::format("'{}' is not a state machine version ARN", arn));
    if (routing.routes.empty()) routing.machine = named.machine;
    else if (named.machine != routing.machine)
      throw ApiError("ValidationException", "the versions of a routingConfiguration must belong to the same state machine");
    else if (routing.routes.front().version == *named.version)
      throw ApiError("ValidationException", "a routingConfiguration must not name the same version twice");
    if (!context.machines.find_version(named.machine, *named.version)) not_found(arn);
    routing.routes.push_back({*named.version, *weight});
    total += *weight;
  }
  if (total != 100)
    throw ApiError("ValidationException",
                   fmt::format("the weights of a routingConfiguration must sum to 100, not {}", total));
  return routing;
}

struct NamedAlias {
  std::string machine;
  std::string name;
};

NamedAlias alias_of(std::string_view arn) {
  QualifiedStateMachine named = qualified_state_machine_of(arn);
  if (named.alias.empty())
    throw ApiError("ValidationException", fmt::format("'{}' is not a state machine alias ARN", arn));
  return {std::move(named.machine), std::move(named.alias)};
}

StateMachineAlias find_alias(const ApiContext& context, std::string_view arn) {
  NamedAlias named = alias_of(arn);
  auto alias = context.machines.find_alias(named.machine, named.name);
  if (!alias) not_found(arn);
  return std::move(*alias);
}

json::array routing_configuration(const StateMachineAlias& alias) {
  json::array items;
  for (const AliasRoute& route : alias.routing)
    items.push_back(json::object{{"stateMachineVersionArn", state_machine_version_arn(alias.machine, route.version)},
                                 {"weight", route.weight}});
  return items;
}

}  // namespace

awaitable<json::object> create_state_machine_alias(ApiContext& context, const json::object& request) {
  std::string name = required_string(request, "name");
  check_alias_name(name);
  std::string description = optional_string(request, "description", kMaxVersionDescription).value_or("");
  const json::value* configuration = request.if_contains("routingConfiguration");
  if (!configuration || configuration->is_null())
    invalid("Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null");
  Routing routing = checked_routing(context, *configuration);
  // AWS: idempotent on "the stateMachineArn, description, name, and routingConfiguration".
  if (auto existing = context.machines.find_alias(routing.machine, name)) {
    if (existing->description != description || existing->routing != routing.routes)
      throw ApiError("ConflictException",
                     fmt::format("alias '{}' exists already with another description or routingConfiguration",
                                 existing->arn()));
    co_return json::object{{"stateMachineAliasArn", existing->arn()},
                           {"creationDate", epoch_seconds(existing->creation_date)}};
  }
  if (context.machines.aliases(routing.machine).size() >= kMaxAliases)
    throw ApiError("ServiceQuotaExceededException",
                   fmt::format("state machine '{}' already has {} aliases", durable::state_machine_arn(routing.machine),
                               kMaxAliases));
  auto now = std::chrono::system_clock::now();
  StateMachineAlias alias{routing.machine, name, description, std::move(routing.routes), now, now};
  context.machines.put_alias(alias);
  co_return json::object{{"stateMachineAliasArn", alias.arn()}, {"creationDate", epoch_seconds(alias.creation_date)}};
}

awaitable<json::object> describe_state_machine_alias(ApiContext& context, const json::object& request) {
  StateMachineAlias alias = find_alias(context, required_string(request, "stateMachineAliasArn"));
  json::object out{{"stateMachineAliasArn", alias.arn()},
                   {"name", alias.name},
                   {"routingConfiguration", routing_configuration(alias)},
                   {"creationDate", epoch_seconds(alias.creation_date)},
                   {"updateDate", epoch_seconds(alias.update_date)}};
  if (!alias.description.empty()) out["description"] = alias.description;
  co_return out;
}

awaitable<json::object> update_state_machine_alias(ApiContext& context, const json::object& request) {
  StateMachineAlias alias = find_alias(context, required_string(request, "stateMachineAliasArn"));
  auto description = optional_string(request, "description", kMaxVersionDescription);
  const json::value* configuration = request.if_contains("routingConfiguration");
  if (configuration && configuration->is_null()) configuration = nullptr;
  // AWS: "You must specify at least one of the description or routingConfiguration
  // parameters to update a state machine alias."
  if (!description && !configuration)
    throw ApiError("ValidationException", "either the description or the routingConfiguration must be specified");
  if (configuration) {
    Routing routing = checked_routing(context, *configuration);
    if (routing.machine != alias.machine)
      throw ApiError("ValidationException",
                     fmt::format("the versions of a routingConfiguration must belong to the alias's state machine '{}'",
                                 durable::state_machine_arn(alias.machine)));
    alias.routing = std::move(routing.routes);
  }
  if (description) alias.description = std::move(*description);
  alias.update_date = std::chrono::system_clock::now();
  context.machines.put_alias(alias);
  co_return json::object{{"updateDate", epoch_seconds(alias.update_date)}};
}

awaitable<json::object> delete_state_machine_alias(ApiContext& context, const json::object& request) {
  StateMachineAlias alias = find_alias(context, required_string(request, "stateMachineAliasArn"));
  context.machines.erase_alias(alias.machine, alias.name);
  co_return json::object{};
}

awaitable<json::object> list_state_machine_aliases(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "stateMachineArn");
  QualifiedStateMachine named = qualified_state_machine_of(arn);
  if (!named.alias.empty())
    throw ApiError("ValidationException", fmt::format("'{}' is an alias ARN; name a state machine or a version", arn));
  Page page = requested_page(request);
  if (!context.machines.find(named.machine))
    throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
  // AWS: "If you specify a state machine version ARN, this API returns a list of aliases for
  // that version."
  if (named.version && !context.machines.find_version(named.machine, *named.version)) not_found(arn);
  auto aliases = context.machines.aliases(named.machine);
  if (named.version)
    std::erase_if(aliases, [&](const StateMachineAlias& alias) {
      return std::none_of(alias.routing.begin(), alias.routing.end(),
                          [&](const AliasRoute& route) { return route.version == *named.version; });
    });
  // AWS: "Results are sorted by time, with the most recently created aliases listed first."
  std::stable_sort(aliases.begin(), aliases.end(), [](const StateMachineAlias& a, const StateMachineAlias& b) {
    return a.creation_date > b.creation_date;
  });
  co_return paged_answer("stateMachineAliases", page, aliases, [](const StateMachineAlias& alias) {
    return json::object{{"stateMachineAliasArn", alias.arn()}, {"creationDate", epoch_seconds(alias.creation_date)}};
  });
}

}  // namespace flowstate::server
