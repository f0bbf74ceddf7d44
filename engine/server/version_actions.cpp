// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion, and the
// publishing CreateStateMachine and UpdateStateMachine share (publish: true).
#include "engine/server/actions.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

// AWS: "You can publish up to 1000 versions for each state machine."
constexpr std::size_t kMaxVersions = 1000;

// A version ARN (…:stateMachine:NAME:N) and the version it names.
struct NamedVersion {
  std::string machine;
  std::int64_t number = 0;
};

NamedVersion version_of(std::string_view arn) {
  QualifiedStateMachine named = qualified_state_machine_of(arn);
  if (!named.version)
    throw ApiError("ValidationException", fmt::format("'{}' is not a state machine version ARN", arn));
  return {std::move(named.machine), *named.version};
}

}  // namespace

StateMachineVersion publish_version(ApiContext& context, StateMachine& machine, const std::string& description) {
  auto versions = context.machines.versions(machine.name);
  auto same_revision = std::find_if(versions.rbegin(), versions.rend(), [&](const StateMachineVersion& version) {
    return version.revision_id == machine.revision_id;
  });
  if (same_revision != versions.rend()) {
    context.machines.put(machine);
    return std::move(*same_revision);
  }
  if (versions.size() >= kMaxVersions)
    throw ApiError("ServiceQuotaExceededException",
                   fmt::format("State machine '{}' already has {} versions; delete unused ones with "
                               "DeleteStateMachineVersion",
                               machine.arn(), kMaxVersions));
  StateMachineVersion version{machine.name,        machine.last_version + 1, machine.definition,
                              machine.role_arn,    machine.type,             machine.revision_id,
                              description,         std::chrono::system_clock::now()};
  machine.last_version = version.number;
  context.machines.put(machine, &version);
  return version;
}

awaitable<json::object> publish_state_machine_version(ApiContext& context, const json::object& request) {
  StateMachine machine = find_state_machine(context, required_string(request, "stateMachineArn"));
  // AWS: "If the specified revision ID doesn't match the state machine's current revision
  // ID, the API returns ConflictException. To specify an initial revision ID for a state
  // machine with no revision ID assigned, specify the string INITIAL".
  if (auto revision = optional_string(request, "revisionId")) {
    std::string current = machine.revision_id.empty() ? "INITIAL" : machine.revision_id;
    if (*revision != current)
      throw ApiError("ConflictException",
                     fmt::format("revisionId '{}' does not match the current revision of '{}' ({})", *revision,
                                 machine.arn(), current));
  }
  StateMachineVersion version = publish_version(context, machine, optional_string(request, "description", kMaxVersionDescription).value_or(""));
  co_return json::object{{"creationDate", epoch_seconds(version.creation_date)},
                         {"stateMachineVersionArn", version.arn()}};
}

awaitable<json::object> list_state_machine_versions(ApiContext& context, const json::object& request) {
  std::string name = state_machine_name_of(required_string(request, "stateMachineArn"));
  Page page = requested_page(request);
  // AWS: "The results are sorted in descending order of the version creation time."
  auto versions = context.machines.versions(name);
  std::reverse(versions.begin(), versions.end());
  co_return paged_answer("stateMachineVersions", page, versions, [](const StateMachineVersion& version) {
    return json::object{{"stateMachineVersionArn", version.arn()}, {"creationDate", epoch_seconds(version.creation_date)}};
  });
}

awaitable<json::object> delete_state_machine_version(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "stateMachineVersionArn");
  NamedVersion named = version_of(arn);
  // AWS: "You can't delete a state machine version currently referenced by one or more
  // aliases."
  std::vector<std::string> routing;
  for (const StateMachineAlias& alias : context.machines.aliases(named.machine))
    if (std::any_of(alias.routing.begin(), alias.routing.end(),
                    [&](const AliasRoute& route) { return route.version == named.number; }))
      routing.push_back(alias.arn());
  if (!routing.empty())
    throw ApiError("ConflictException",
                   fmt::format("version '{}' cannot be deleted while aliases route executions to it: {}; update "
                               "or delete them first",
                               arn, fmt::join(routing, ", ")));
  // A version that does not exist (any more) is deleted already, as DeleteStateMachine answers.
  if (context.machines.find_version(named.machine, named.number)) context.machines.erase_version(named.machine, named.number);
  co_return json::object{};
}

}  // namespace flowstate::server
