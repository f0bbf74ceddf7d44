#include "engine/server/execution_target.hpp"

#include <fmt/format.h>

#include "engine/data/random_source.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace {

[[noreturn]] void does_not_exist(std::string_view arn) {
  throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
}

}  // namespace

ExecutionTarget execution_target(const ApiContext& context, std::string_view arn) {
  QualifiedStateMachine named = qualified_state_machine_of(arn);
  auto machine = context.machines.find(named.machine);
  if (!machine) does_not_exist(arn);
  ExecutionTarget target{std::move(*machine), {}, {}, {}};
  if (!named.qualified()) {
    target.definition = target.machine.definition;
    return target;
  }
  std::int64_t number = named.version.value_or(0);
  if (!named.alias.empty()) {
    auto alias = context.machines.find_alias(named.machine, named.alias);
    if (!alias) does_not_exist(arn);
    number = alias->routed_version(static_cast<std::int64_t>(data::random_u64() % 100));
    target.alias_arn = alias->arn();
  }
  auto version = context.machines.find_version(named.machine, number);
  if (!version) does_not_exist(named.alias.empty() ? std::string(arn) : state_machine_version_arn(named.machine, number));
  target.definition = std::move(version->definition);
  target.version_arn = version->arn();
  return target;
}

}  // namespace flowstate::server
