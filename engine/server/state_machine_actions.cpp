#include "engine/server/actions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/data/random_source.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/definition_substitutions.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/paging.hpp"
#include "engine/server/resource_arn.hpp"

namespace flowstate::server {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

// What is wrong with a definition, each "definition:LINE:COL: error: MESSAGE"; empty when it
// is valid and flowstate can run it.
std::vector<definition::Diagnostic> definition_problems(const std::string& text) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::parse(text, "definition", diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  std::vector<definition::Diagnostic> problems = diagnostics.sorted();
  if (plan && diagnostics.empty()) problems = plan->unsupported;
  else if (!plan && problems.empty()) problems.push_back({{"definition", 0, 0}, "the definition cannot be read"});
  return problems;
}

// The placeholders the server's substitutions do not fill (none without substitutions).
std::vector<definition::Diagnostic> fill_definition(const ApiContext& context, std::string& text) {
  if (!context.settings.substitutions) return {};
  definition::Diagnostics unfilled;
  text = definition::fill_placeholders(text, *context.settings.substitutions, "definition", unfilled);
  return unfilled.sorted();
}

// `text` filled as the server keeps it; throws InvalidDefinition when it cannot run.
void check_definition(const ApiContext& context, std::string& text) {
  auto problems = fill_definition(context, text);
  if (problems.empty()) problems = definition_problems(text);
  if (!problems.empty()) throw invalid_definition(problems);
}

std::string checked_type(const json::object& request) {
  std::string type = optional_string(request, "type").value_or("STANDARD");
  if (type != "STANDARD" && type != "EXPRESS")
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value '{}' at 'type' failed to satisfy "
                               "constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]",
                               type));
  return type;
}

// tags: [{"key": K, "value": V}, ...] into `tags`.
void merge_tags(json::object& tags, const json::object& request) {
  const json::value* list = request.if_contains("tags");
  if (!list || list->is_null()) return;
  if (!list->is_array()) throw ApiError("ValidationException", "tags must be a list of {key, value}");
  for (const json::value& tag : list->get_array()) {
    if (!tag.is_object()) throw ApiError("ValidationException", "tags must be a list of {key, value}");
    std::string key = required_string(tag.get_object(), "key");
    tags[key] = optional_string(tag.get_object(), "value").value_or("");
  }
}

// The description of the version that publish: true asks for ("" when none), or nullopt
// without publish. AWS: "You can only set the description if the publish parameter is set to
// true. Otherwise, if you set versionDescription, but publish to false, this API action
// throws ValidationException."
std::optional<std::string> checked_version_description(const json::object& request) {
  auto description = optional_string(request, "versionDescription", kMaxVersionDescription);
  if (optional_bool(request, "publish").value_or(false)) return description.value_or("");
  if (description)
    throw ApiError("ValidationException", "versionDescription can only be set when publish is true");
  return std::nullopt;
}

json::array tag_list(const json::object& tags) {
  json::array out;
  for (const auto& [key, value] : tags) out.push_back(json::object{{"key", key}, {"value", value}});
  return out;
}

}  // namespace

ApiError invalid_definition(const std::vector<definition::Diagnostic>& problems) {
  std::string message = "Invalid State Machine Definition: ";
  for (std::size_t i = 0; i < problems.size(); ++i)
    message += (i ? "; " : "") + definition::to_string(problems[i]);
  return ApiError("InvalidDefinition", message);
}

awaitable<json::object> create_state_machine(ApiContext& context, const json::object& request) {
  StateMachine machine;
  machine.name = required_string(request, "name");
  machine.definition = required_string(request, "definition");
  machine.role_arn = required_string(request, "roleArn");
  machine.type = checked_type(request);
  auto version_description = checked_version_description(request);
  if (auto problem = durable::name_problem(machine.name))
    throw ApiError("InvalidName", fmt::format("Invalid Name: '{}' {}", machine.name, *problem));
  check_definition(context, machine.definition);
  json::object out;
  if (auto existing = context.machines.find(machine.name)) {
    if (existing->definition != machine.definition || existing->type != machine.type ||
        existing->role_arn != machine.role_arn)
      throw ApiError("StateMachineAlreadyExists",
                     fmt::format("State Machine Already Exists: '{}'", existing->arn()));
    machine = std::move(*existing);
    out = json::object{{"stateMachineArn", machine.arn()}, {"creationDate", epoch_seconds(machine.creation_date)}};
  } else {
    machine.creation_date = std::chrono::system_clock::now();
    merge_tags(machine.tags, request);
    out = json::object{{"stateMachineArn", machine.arn()}, {"creationDate", epoch_seconds(machine.creation_date)}};
    if (!version_description) context.machines.put(machine);
  }
  // AWS: "If you set the publish parameter of this API action to true, it publishes version
  // 1 as the first revision of the state machine."
  if (version_description) out["stateMachineVersionArn"] = publish_version(context, machine, *version_description).arn();
  co_return out;
}

awaitable<json::object> describe_state_machine(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "stateMachineArn");
  QualifiedStateMachine named = qualified_state_machine_of(arn);
  if (!named.alias.empty())
    throw ApiError("ValidationException",
                   fmt::format("'{}' is an alias ARN: describe it with DescribeStateMachineAlias", arn));
  auto machine = context.machines.find(named.machine);
  if (!machine) throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
  json::object out{{"stateMachineArn", machine->arn()},
                   {"name", machine->name},
                   {"status", "ACTIVE"},
                   {"definition", machine->definition},
                   {"roleArn", machine->role_arn},
                   {"type", machine->type},
                   {"creationDate", epoch_seconds(machine->creation_date)},
                   {"loggingConfiguration", json::object{{"level", "OFF"}, {"includeExecutionData", false}}},
                   {"tracingConfiguration", json::object{{"enabled", false}}}};
  if (!machine->revision_id.empty()) out["revisionId"] = machine->revision_id;
  // AWS: "This API action returns the details for a state machine version if the
  // stateMachineArn you specify is a state machine version ARN"; its stateMachineArn is then
  // the version's and its creationDate "the date the version was created".
  if (named.version) {
    auto version = context.machines.find_version(machine->name, *named.version);
    if (!version) throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
    out["stateMachineArn"] = version->arn();
    out["definition"] = version->definition;
    out["roleArn"] = version->role_arn;
    out["creationDate"] = epoch_seconds(version->creation_date);
    out.erase("revisionId");
    if (!version->revision_id.empty()) out["revisionId"] = version->revision_id;
    if (!version->description.empty()) out["description"] = version->description;
  }
  co_return out;
}

awaitable<json::object> update_state_machine(ApiContext& context, const json::object& request) {
  StateMachine machine = find_state_machine(context, required_string(request, "stateMachineArn"));
  auto definition = optional_string(request, "definition");
  auto role_arn = optional_string(request, "roleArn");
  auto version_description = checked_version_description(request);
  if (!definition && !role_arn && !request.contains("loggingConfiguration") && !request.contains("tracingConfiguration"))
    throw ApiError("MissingRequiredParameter",
                   "Either the definition, the roleArn, the loggingConfiguration or the "
                   "tracingConfiguration must be specified");
  if (definition) check_definition(context, *definition);
  // A new revision when what runs changes; an update that changes nothing keeps the
  // revision, so publishing again returns the version already published from it.
  if ((definition && *definition != machine.definition) || (role_arn && *role_arn != machine.role_arn))
    machine.revision_id = data::random_uuid();
  if (definition) machine.definition = std::move(*definition);
  if (role_arn) machine.role_arn = std::move(*role_arn);
  machine.update_date = std::chrono::system_clock::now();
  json::object out{{"updateDate", epoch_seconds(*machine.update_date)}};
  if (!machine.revision_id.empty()) out["revisionId"] = machine.revision_id;
  if (version_description) out["stateMachineVersionArn"] = publish_version(context, machine, *version_description).arn();
  else context.machines.put(machine);
  co_return out;
}

awaitable<json::object> delete_state_machine(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "stateMachineArn");
  auto name = state_machine_name_of(arn);
  // AWS answers a machine that does not exist (any more) with success.
  if (context.machines.find(name)) context.machines.erase(name);
  co_return json::object{};
}

awaitable<json::object> list_state_machines(ApiContext& context, const json::object& request) {
  Page page = requested_page(request);
  auto machines = context.machines.list();
  json::array items;
  for (std::size_t i = page.first; i < machines.size() && i < page.first + page.size; ++i)
    items.push_back(json::object{{"stateMachineArn", machines[i].arn()},
                                 {"name", machines[i].name},
                                 {"type", machines[i].type},
                                 {"creationDate", epoch_seconds(machines[i].creation_date)}});
  json::object out{{"stateMachines", std::move(items)}};
  add_next_token(out, page, machines.size());
  co_return out;
}

awaitable<json::object> validate_state_machine_definition(ApiContext& context, const json::object& request) {
  std::string definition = required_string(request, "definition");
  if (request.contains("type")) checked_type(request);
  auto max_results = static_cast<std::size_t>(std::clamp<std::int64_t>(
      optional_integer(request, "maxResults").value_or(100), 1, 100));
  auto problems = fill_definition(context, definition);
  if (problems.empty()) problems = definition_problems(definition);
  json::array diagnostics;
  for (std::size_t i = 0; i < problems.size() && i < max_results; ++i) {
    const auto& problem = problems[i];
    json::object entry{{"severity", "ERROR"}, {"code", "SCHEMA_VALIDATION_FAILED"}, {"message", problem.message}};
    if (problem.location.line > 0)
      entry["location"] = fmt::format("line {}, column {}", problem.location.line, problem.location.column);
    diagnostics.push_back(std::move(entry));
  }
  co_return json::object{{"result", problems.empty() ? "OK" : "FAIL"},
                         {"diagnostics", std::move(diagnostics)},
                         {"truncated", problems.size() > max_results}};
}

namespace {

// Tags live on state machines only here.
StateMachine tagged_machine(ApiContext& context, const json::object& request) {
  std::string arn = required_string(request, "resourceArn");
  try {
    return find_state_machine(context, arn);
  } catch (const ApiError& error) {
    throw ApiError("ResourceNotFound", fmt::format("Resource not found: '{}'", arn));
  }
}

}  // namespace

awaitable<json::object> tag_resource(ApiContext& context, const json::object& request) {
  StateMachine machine = tagged_machine(context, request);
  if (!request.contains("tags")) required_string(request, "tags");
  merge_tags(machine.tags, request);
  context.machines.put(machine);
  co_return json::object{};
}

awaitable<json::object> untag_resource(ApiContext& context, const json::object& request) {
  StateMachine machine = tagged_machine(context, request);
  const json::value* keys = request.if_contains("tagKeys");
  if (!keys || !keys->is_array()) throw ApiError("ValidationException", "tagKeys must be a list of tag keys");
  for (const json::value& key : keys->get_array())
    if (key.is_string()) machine.tags.erase(key.get_string());
  context.machines.put(machine);
  co_return json::object{};
}

awaitable<json::object> list_tags_for_resource(ApiContext& context, const json::object& request) {
  co_return json::object{{"tags", tag_list(tagged_machine(context, request).tags)}};
}

StateMachine find_state_machine(const ApiContext& context, std::string_view arn) {
  auto name = state_machine_name_of(arn);
  auto machine = context.machines.find(name);
  if (!machine)
    throw ApiError("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
  return std::move(*machine);
}

}  // namespace flowstate::server
