// Nested executions: the Task resources arn:aws:states:::states:startExecution (fire and
// forget), .sync and .sync:2. StateMachineArn names a state machine that
// HostOptions::state_machines finds (the server's), else a local definition: a path relative
// to the parent's definition file, or a state machine ARN whose last part is a file name
// (with .yaml, .yml, .json, .asl.json, .asl.yaml or .asl.yml) in the parent's folder, its
// ${Name} placeholders filled with the parent's substitutions; a parent without a file (one
// the server started) names no file. The child is a full
// execution in the store, linked to its parent's Task invocation, so a resumed parent
// finds the child it started and a redriven parent starts a fresh one.
#pragma once

#include <string_view>

#include "engine/tasks/resource_registry.hpp"

namespace flowstate::durable {

class ExecutionHost;

inline constexpr std::string_view kStartExecution = "arn:aws:states:::states:startExecution";
inline constexpr std::string_view kStartExecutionSync = "arn:aws:states:::states:startExecution.sync";
inline constexpr std::string_view kStartExecutionSync2 = "arn:aws:states:::states:startExecution.sync:2";

/// Registers the three resources, served by `host`.
void add_nested_executions(tasks::ResourceRegistry& registry, ExecutionHost& host);

}  // namespace flowstate::durable
