#include "engine/server/state_machine_registry.hpp"

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/store_keys.hpp"

namespace flowstate::server {

namespace json = boost::json;

namespace {

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::optional<std::chrono::system_clock::time_point> date(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_int64()) return std::nullopt;
  return data::from_epoch_milliseconds(value->get_int64());
}

std::optional<StateMachine> from_json(std::string_view text_value) {
  auto value = data::parse_json(text_value);
  if (!value || !value->is_object()) return std::nullopt;
  const json::object& object = value->get_object();
  StateMachine machine;
  machine.name = text(object, "name");
  machine.definition = text(object, "definition");
  machine.role_arn = text(object, "roleArn");
  machine.type = text(object, "type");
  machine.creation_date = date(object, "creationDate").value_or(std::chrono::system_clock::time_point());
  machine.update_date = date(object, "updateDate");
  if (const json::value* tags = object.if_contains("tags"); tags && tags->is_object()) machine.tags = tags->get_object();
  return machine;
}

}  // namespace

std::string StateMachine::arn() const { return durable::state_machine_arn(name); }

std::optional<StateMachine> StateMachineRegistry::find(std::string_view name) const {
  auto value = store_.get(durable::keys::state_machine(name));
  if (!value) return std::nullopt;
  return from_json(*value);
}

std::vector<StateMachine> StateMachineRegistry::list() const {
  std::vector<StateMachine> machines;
  store_.scan(durable::keys::state_machine_prefix(), [&](std::string_view, std::string_view value) {
    if (auto machine = from_json(value)) machines.push_back(std::move(*machine));
    return true;
  });
  return machines;
}

void StateMachineRegistry::put(const StateMachine& machine) {
  json::object object{{"name", machine.name},
                      {"definition", machine.definition},
                      {"roleArn", machine.role_arn},
                      {"type", machine.type},
                      {"creationDate", data::epoch_milliseconds(machine.creation_date)},
                      {"tags", machine.tags}};
  if (machine.update_date) object["updateDate"] = data::epoch_milliseconds(*machine.update_date);
  store::WriteBatch batch;
  batch.put(durable::keys::state_machine(machine.name), data::serialize_json(object));
  store_.write(batch);
}

std::optional<durable::NamedDefinition> StateMachineRegistry::resolve(std::string_view arn) const {
  constexpr std::string_view kPrefix = "arn:aws:states:";
  constexpr std::string_view kKind = ":stateMachine:";
  auto kind = arn.find(kKind);
  if (!arn.starts_with(kPrefix) || kind == std::string_view::npos) return std::nullopt;
  auto machine = find(arn.substr(kind + kKind.size()));
  if (!machine || machine->arn() != arn) return std::nullopt;
  return durable::NamedDefinition{machine->name, durable::DefinitionSource{"", machine->definition}};
}

void StateMachineRegistry::erase(std::string_view name) {
  store::WriteBatch batch;
  batch.erase(durable::keys::state_machine(name));
  store_.write(batch);
}

}  // namespace flowstate::server
