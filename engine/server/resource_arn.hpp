// Reading the ARNs requests name: a state machine's
// (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), a version's or alias's (…:NAME:1,
// …:NAME:PROD), an execution's (...:execution:MACHINE:NAME) and a Map Run's
// (...:mapRun:MACHINE/LABEL:UUID); the ARNs themselves are written by durable::state_machine_arn
// and durable::execution_arn. A malformed ARN is ApiError InvalidArn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowstate::server {

/// NAME of a state machine ARN.
std::string state_machine_name_of(std::string_view arn);

/// A state machine ARN that may name a version or an alias of the machine. AWS: "To avoid
/// conflict with version ARNs, don't use an integer in the name of the alias" (alias names
/// must hold a character other than a digit), so a qualifier of digits is a version.
struct QualifiedStateMachine {
  std::string machine;
  std::optional<std::int64_t> version;
  std::string alias;  ///< "" unless the ARN names an alias

  bool qualified() const { return version || !alias.empty(); }
};
QualifiedStateMachine qualified_state_machine_of(std::string_view arn);

struct ExecutionName {
  std::string machine;
  std::string name;
};
ExecutionName execution_name_of(std::string_view arn);

/// A Map Run ARN (…:mapRun:MACHINE/LABEL:UUID): its state machine ("MACHINE/LABEL") and UUID.
struct MapRunName {
  std::string state_machine;
  std::string id;
};
MapRunName map_run_name_of(std::string_view arn);

/// NAME of an activity ARN (arn:aws:states:REGION:ACCOUNT:activity:NAME).
std::string activity_name_of(std::string_view arn);

}  // namespace flowstate::server
