// Loading a definition file for a command: parse, compile, and print every diagnostic as
// "file:line:col: error: message" on stderr.
#pragma once

#include <optional>
#include <string>

#include "engine/definition/plan.hpp"

namespace flowstate::cli {

/// The compiled plan, or nullopt after printing the diagnostics.
std::optional<definition::Plan> load_plan(const std::string& file);

}  // namespace flowstate::cli
