// Loading a definition file for a command: parse, compile, and print every diagnostic as
// "file:line:col: error: message" on stderr.
#pragma once

#include <optional>
#include <string>

#include "engine/definition/plan.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace flowstate::cli {

/// The compiled plan, or nullopt after printing the diagnostics.
std::optional<definition::Plan> load_plan(const std::string& file);

/// load_plan, then what must hold before an execution starts: the plan uses no feature the
/// runtime refuses (Plan::unsupported) and `resources` serves every Task's Resource. The
/// plan, or nullopt after printing what is wrong.
std::optional<definition::Plan> load_runnable_plan(const std::string& file,
                                                   const tasks::ResourceRegistry& resources);

}  // namespace flowstate::cli
