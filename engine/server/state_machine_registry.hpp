// StateMachineRegistry: the state machines created through the API (CreateStateMachine),
// kept in the store under keys::state_machine(NAME) as JSON {"name", "definition" (the
// text), "roleArn", "type", "creationDate" and "updateDate" (ms since the epoch), "tags"}.
#pragma once

#include <chrono>
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

  std::string arn() const;
};

class StateMachineRegistry {
 public:
  explicit StateMachineRegistry(store::Store& store) : store_(store) {}

  std::optional<StateMachine> find(std::string_view name) const;
  /// Every state machine, by name.
  std::vector<StateMachine> list() const;
  void put(const StateMachine& machine);
  void erase(std::string_view name);
  /// The state machine a nested startExecution's StateMachineArn names, as
  /// durable::HostOptions::state_machines; nullopt for any other ARN.
  std::optional<durable::NamedDefinition> resolve(std::string_view arn) const;

 private:
  store::Store& store_;
};

}  // namespace flowstate::server
