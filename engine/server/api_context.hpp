// ApiContext: what the API's action handlers work on — the one ExecutionHost that runs every
// execution of the server, the state machines and activities created through the API, and
// the server's Step Functions Local settings (mock configuration, Lambda endpoint).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/definition/definition_substitutions.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/server/activity_registry.hpp"
#include "engine/server/state_machine_registry.hpp"
#include "engine/tasks/mock_config.hpp"

namespace flowstate::server {

struct ServerSettings {
  /// The mock configuration (--mock-config / SFN_MOCK_CONFIG), absolute, and the file
  /// loaded; "" and null when none: a StartExecution naming a test case is then refused.
  std::string mock_config;
  const tasks::MockConfig* mocks = nullptr;
  std::string lambda_endpoint;  ///< the URL executions record; "" when none
  bool skip_waits = false;      ///< executions started through the API skip waits
  /// How long GetActivityTask waits for a task before answering without one (AWS: 60 s).
  std::chrono::seconds activity_poll{60};
  /// --substitute / --substitutions: the ${Name} placeholders of the definitions that
  /// CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition take are filled
  /// with these, as CloudFormation fills them before it calls the API; an unfilled one is an
  /// invalid definition. nullopt: definitions are taken as given, as AWS's API takes them.
  std::optional<definition::Substitutions> substitutions;
};

struct ApiContext {
  durable::ExecutionHost& host;
  StateMachineRegistry machines;
  ActivityRegistry activities;
  ServerSettings settings;
  /// One line for the server's log (stderr).
  std::function<void(std::string_view)> log;
};

}  // namespace flowstate::server
