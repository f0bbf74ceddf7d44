// Reading the ARNs requests name: a state machine's
// (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), an execution's
// (...:execution:MACHINE:NAME) and a Map Run's (...:mapRun:MACHINE/LABEL:UUID); the ARNs themselves are written by durable::state_machine_arn
// and durable::execution_arn. A malformed ARN is ApiError InvalidArn.
#pragma once

#include <string>
#include <string_view>

namespace flowstate::server {

/// NAME of a state machine ARN.
std::string state_machine_name_of(std::string_view arn);

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
