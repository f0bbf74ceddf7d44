#include "engine/server/state_machine_registry.hpp"

#include <charconv>

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/json_member.hpp"
#include "engine/data/random_source.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/store_keys.hpp"

namespace flowstate::server {

namespace json = boost::json;
using std::chrono::system_clock;

namespace {

std::int64_t integer(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_int64() ? value->get_int64() : 0;
}

std::optional<system_clock::time_point> date(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_int64()) return std::nullopt;
  return data::from_epoch_milliseconds(value->get_int64());
}

const json::object* parsed_object(std::string_view text_value, json::value& holder) {
  auto value = data::parse_json(text_value);
  if (!value || !value->is_object()) return nullptr;
  holder = std::move(*value);
  return &holder.get_object();
}

std::optional<StateMachine> machine_from_json(std::string_view text_value) {
  json::value holder;
  const json::object* object = parsed_object(text_value, holder);
  if (!object) return std::nullopt;
  StateMachine machine;
  machine.name = data::string_member(*object, "name");
  machine.definition = data::string_member(*object, "definition");
  machine.role_arn = data::string_member(*object, "roleArn");
  machine.type = data::string_member(*object, "type");
  machine.creation_date = date(*object, "creationDate").value_or(system_clock::time_point());
  machine.update_date = date(*object, "updateDate");
  if (const json::value* tags = object->if_contains("tags"); tags && tags->is_object()) machine.tags = tags->get_object();
  machine.revision_id = data::string_member(*object, "revisionId");
  machine.last_version = integer(*object, "lastVersion");
  return machine;
}

std::string machine_json(const StateMachine& machine) {
  json::object object{{"name", machine.name},
                      {"definition", machine.definition},
                      {"roleArn", machine.role_arn},
                      {"type", machine.type},
                      {"creationDate", data::epoch_milliseconds(machine.creation_date)},
                      {"tags", machine.tags},
                      {"lastVersion", machine.last_version}};
  if (machine.update_date) object["updateDate"] = data::epoch_milliseconds(*machine.update_date);
  if (!machine.revision_id.empty()) object["revisionId"] = machine.revision_id;
  return data::serialize_json(object);
}

std::optional<StateMachineVersion> version_from_json(std::string_view machine, std::string_view text_value) {
  json::value holder;
  const json::object* object = parsed_object(text_value, holder);
  if (!object) return std::nullopt;
  StateMachineVersion version;
  version.machine = std::string(machine);
  version.number = integer(*object, "version");
  version.definition = data::string_member(*object, "definition");
  version.role_arn = data::string_member(*object, "roleArn");
  version.type = data::string_member(*object, "type");
  version.revision_id = data::string_member(*object, "revisionId");
  version.description = data::string_member(*object, "description");
  version.creation_date = date(*object, "creationDate").value_or(system_clock::time_point());
  return version;
}

std::string version_json(const StateMachineVersion& version) {
  return data::serialize_json(json::object{{"version", version.number},
                                           {"definition", version.definition},
                                           {"roleArn", version.role_arn},
                                           {"type", version.type},
                                           {"revisionId", version.revision_id},
                                           {"description", version.description},
                                           {"creationDate", data::epoch_milliseconds(version.creation_date)}});
}

std::optional<StateMachineAlias> alias_from_json(std::string_view machine, std::string_view text_value) {
  json::value holder;
  const json::object* object = parsed_object(text_value, holder);
  if (!object) return std::nullopt;
  StateMachineAlias alias;
  alias.machine = std::string(machine);
  alias.name = data::string_member(*object, "name");
  alias.description = data::string_member(*object, "description");
  if (const json::value* routes = object->if_contains("routingConfiguration"); routes && routes->is_array())
    for (const json::value& route : routes->get_array())
      if (route.is_object())
        alias.routing.push_back({integer(route.get_object(), "version"), integer(route.get_object(), "weight")});
  alias.creation_date = date(*object, "creationDate").value_or(system_clock::time_point());
  alias.update_date = date(*object, "updateDate").value_or(alias.creation_date);
  return alias;
}

std::string alias_json(const StateMachineAlias& alias) {
  json::array routes;
  for (const AliasRoute& route : alias.routing)
    routes.push_back(json::object{{"version", route.version}, {"weight", route.weight}});
  return data::serialize_json(json::object{{"name", alias.name},
                                           {"description", alias.description},
                                           {"routingConfiguration", std::move(routes)},
                                           {"creationDate", data::epoch_milliseconds(alias.creation_date)},
                                           {"updateDate", data::epoch_milliseconds(alias.update_date)}});
}

// The record under `key`, read by `from_json`.
template <typename Record, typename FromJson>
std::optional<Record> stored(const store::Store& store, const std::string& key, FromJson from_json) {
  auto value = store.get(key);
  if (!value) return std::nullopt;
  return from_json(*value);
}

// The records under `prefix`, in key order, read by `from_json`.
template <typename Record, typename FromJson>
std::vector<Record> stored_all(const store::Store& store, const std::string& prefix, FromJson from_json) {
  std::vector<Record> records;
  store.scan(prefix, [&](std::string_view, std::string_view value) {
    if (std::optional<Record> record = from_json(value)) records.push_back(std::move(*record));
    return true;
  });
  return records;
}

}  // namespace

std::string StateMachine::arn() const { return durable::state_machine_arn(name); }

std::string state_machine_version_arn(std::string_view machine, std::int64_t number) {
  return fmt::format("{}:{}", durable::state_machine_arn(machine), number);
}

std::string StateMachineVersion::arn() const { return state_machine_version_arn(machine, number); }

std::string state_machine_alias_arn(std::string_view machine, std::string_view alias) {
  return fmt::format("{}:{}", durable::state_machine_arn(machine), alias);
}

std::string StateMachineAlias::arn() const { return state_machine_alias_arn(machine, name); }

std::int64_t StateMachineAlias::routed_version(std::int64_t percent) const {
  std::int64_t below = 0;
  for (const AliasRoute& route : routing) {
    below += route.weight;
    if (percent < below) return route.version;
  }
  return routing.back().version;
}

std::optional<StateMachine> StateMachineRegistry::find(std::string_view name) const {
  return stored<StateMachine>(store_, durable::keys::state_machine(name), machine_from_json);
}

std::vector<StateMachine> StateMachineRegistry::list() const {
  return stored_all<StateMachine>(store_, durable::keys::state_machine_prefix(), machine_from_json);
}

void StateMachineRegistry::put(const StateMachine& machine, const StateMachineVersion* published) {
  store::WriteBatch batch;
  batch.put(durable::keys::state_machine(machine.name), machine_json(machine));
  if (published)
    batch.put(durable::keys::state_machine_version(machine.name, published->number), version_json(*published));
  store_.write(batch);
}

std::optional<durable::NamedDefinition> StateMachineRegistry::resolve(std::string_view arn) const {
  constexpr std::string_view kPrefix = "arn:aws:states:";
  constexpr std::string_view kKind = ":stateMachine:";
  auto kind = arn.find(kKind);
  if (!arn.starts_with(kPrefix) || kind == std::string_view::npos) return std::nullopt;
  std::string_view name = arn.substr(kind + kKind.size());
  std::string_view qualifier;
  if (auto colon = name.find(':'); colon != std::string_view::npos) {
    qualifier = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  auto machine = find(name);
  if (!machine || machine->arn() != arn.substr(0, kind + kKind.size() + name.size())) return std::nullopt;
  if (qualifier.empty()) return durable::NamedDefinition{machine->name, durable::DefinitionSource{"", machine->definition}};
  // A version (digits) or an alias, whose weights pick the version as StartExecution's do.
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(qualifier.data(), qualifier.data() + qualifier.size(), number);
  if (error != std::errc() || end != qualifier.data() + qualifier.size()) {
    auto alias = find_alias(name, qualifier);
    if (!alias) return std::nullopt;
    number = alias->routed_version(static_cast<std::int64_t>(data::random_u64() % 100));
  }
  auto version = find_version(name, number);
  if (!version) return std::nullopt;
  return durable::NamedDefinition{machine->name, durable::DefinitionSource{"", version->definition}};
}

void StateMachineRegistry::erase(std::string_view name) {
  store::WriteBatch batch;
  batch.erase(durable::keys::state_machine(name));
  for (const std::string& prefix :
       {durable::keys::state_machine_versions_prefix(name), durable::keys::state_machine_aliases_prefix(name)})
    store_.scan(prefix, [&](std::string_view key, std::string_view) {
      batch.erase(key);
      return true;
    });
  store_.write(batch);
}

std::optional<StateMachineVersion> StateMachineRegistry::find_version(std::string_view machine,
                                                                      std::int64_t number) const {
  return stored<StateMachineVersion>(store_, durable::keys::state_machine_version(machine, number),
                                     [&](std::string_view value) { return version_from_json(machine, value); });
}

std::vector<StateMachineVersion> StateMachineRegistry::versions(std::string_view machine) const {
  return stored_all<StateMachineVersion>(store_, durable::keys::state_machine_versions_prefix(machine),
                                         [&](std::string_view value) { return version_from_json(machine, value); });
}

void StateMachineRegistry::erase_version(std::string_view machine, std::int64_t number) {
  store::WriteBatch batch;
  batch.erase(durable::keys::state_machine_version(machine, number));
  store_.write(batch);
}

std::optional<StateMachineAlias> StateMachineRegistry::find_alias(std::string_view machine,
                                                                  std::string_view name) const {
  return stored<StateMachineAlias>(store_, durable::keys::state_machine_alias(machine, name),
                                   [&](std::string_view value) { return alias_from_json(machine, value); });
}

std::vector<StateMachineAlias> StateMachineRegistry::aliases(std::string_view machine) const {
  return stored_all<StateMachineAlias>(store_, durable::keys::state_machine_aliases_prefix(machine),
                                       [&](std::string_view value) { return alias_from_json(machine, value); });
}

void StateMachineRegistry::put_alias(const StateMachineAlias& alias) {
  store::WriteBatch batch;
  batch.put(durable::keys::state_machine_alias(alias.machine, alias.name), alias_json(alias));
  store_.write(batch);
}

void StateMachineRegistry::erase_alias(std::string_view machine, std::string_view name) {
  store::WriteBatch batch;
  batch.erase(durable::keys::state_machine_alias(machine, name));
  store_.write(batch);
}

}  // namespace flowstate::server
