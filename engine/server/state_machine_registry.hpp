// StateMachineRegistry: the state machines created through the API (CreateStateMachine),
// with their published versions and their aliases. Kept in the store as JSON: a machine under
// keys::state_machine(NAME) {"name", "definition" (the text), "roleArn", "type",
// "creationDate" and "updateDate" (ms since the epoch), "tags", "revisionId" (absent for
// the first revision), "lastVersion" (the highest version number published, 0 for none)};
// a version under keys::state_machine_version(NAME, N) {"version", "definition", "roleArn",
// "type", "revisionId", "description", "creationDate"}; an alias under
// keys::state_machine_alias(NAME, ALIAS) {"name", "description", "routingConfiguration":
// [{"version", "weight"}], "creationDate", "updateDate"}.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "engine/durable/execution_host.hpp"
#include "engine/store/store.hpp"

namespace flowstate::server {

struct StateMachine {
  std::string name;
  std::string definition;
  std::string role_arn;
  std::string type = "STANDARD";  ///< STANDARD or EXPRESS
  std::chrono::system_clock::time_point creation_date;
  std::optional<std::chrono::system_clock::time_point> update_date;
  boost::json::object tags;  ///< key → value
  /// The current revision: "" for the first (AWS: "The first revision ID when you create the
  /// state machine is null"), a UUID after each UpdateStateMachine that changes it.
  std::string revision_id;
  std::int64_t last_version = 0;  ///< version numbers are never reused

  std::string arn() const;
};

/// A published version: an immutable snapshot of a machine's revision
/// (PublishStateMachineVersion, or CreateStateMachine / UpdateStateMachine with publish).
struct StateMachineVersion {
  std::string machine;  ///< the state machine's name
  std::int64_t number = 0;
  std::string definition;
  std::string role_arn;
  std::string type;
  std::string revision_id;
  std::string description;
  std::chrono::system_clock::time_point creation_date;

  /// The machine's ARN and the version number separated by a colon (…:stateMachine:NAME:1).
  std::string arn() const;
};

/// The ARN of version `number` of the state machine `machine`.
std::string state_machine_version_arn(std::string_view machine, std::int64_t number);
/// The ARN of the alias `alias` of the state machine `machine`.
std::string state_machine_alias_arn(std::string_view machine, std::string_view alias);

/// One version an alias routes executions to, with its percentage of them.
struct AliasRoute {
  std::int64_t version = 0;
  std::int64_t weight = 0;

  bool operator==(const AliasRoute&) const = default;
};

/// An alias: a name that routes StartExecution to one or two versions of one machine.
struct StateMachineAlias {
  std::string machine;
  std::string name;
  std::string description;
  std::vector<AliasRoute> routing;
  std::chrono::system_clock::time_point creation_date;
  std::chrono::system_clock::time_point update_date;

  /// The machine's ARN and the alias name separated by a colon (…:stateMachine:NAME:PROD).
  std::string arn() const;
  /// The version this alias routes an execution to, for `percent` drawn uniformly from
  /// [0, 100). AWS: "Step Functions randomly chooses which version runs a given execution
  /// based on the percentage you specify."
  std::int64_t routed_version(std::int64_t percent) const;
};

class StateMachineRegistry {
 public:
  explicit StateMachineRegistry(store::Store& store) : store_(store) {}

  std::optional<StateMachine> find(std::string_view name) const;
  /// Every state machine, by name.
  std::vector<StateMachine> list() const;
  /// Writes `machine`, and in the same batch the version just published from it, if any.
  void put(const StateMachine& machine, const StateMachineVersion* published = nullptr);
  /// Erases the machine with its versions and aliases.
  void erase(std::string_view name);

  std::optional<StateMachineVersion> find_version(std::string_view machine, std::int64_t number) const;
  /// The machine's versions, oldest first.
  std::vector<StateMachineVersion> versions(std::string_view machine) const;
  void erase_version(std::string_view machine, std::int64_t number);

  std::optional<StateMachineAlias> find_alias(std::string_view machine, std::string_view name) const;
  /// The machine's aliases, by name.
  std::vector<StateMachineAlias> aliases(std::string_view machine) const;
  void put_alias(const StateMachineAlias& alias);
  void erase_alias(std::string_view machine, std::string_view name);
  /// The state machine a nested startExecution's StateMachineArn names (its current
  /// definition, or a version's, directly or through an alias), as
  /// durable::HostOptions::state_machines; nullopt for any other ARN.
  std::optional<durable::NamedDefinition> resolve(std::string_view arn) const;

 private:
  store::Store& store_;
};

}  // namespace flowstate::server
