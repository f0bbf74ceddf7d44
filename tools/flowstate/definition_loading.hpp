// Loading a definition file for a command: parse, compile, and print every diagnostic as
// "file:line:col: error: message" on stderr.
#pragma once

#include <optional>
#include <string>

#include "engine/definition/plan.hpp"
#include <span>
#include <string_view>

namespace flowstate::cli {

/// The compiled plan, or nullopt after printing the diagnostics.
std::optional<definition::Plan> load_plan(const std::string& file);

/// load_plan, then what must hold before an execution starts: the plan uses no feature the
/// runtime refuses (Plan::unsupported) and every Task's Resource is one of `served`. The
/// plan, or nullopt after printing what is wrong.
std::optional<definition::Plan> load_runnable_plan(const std::string& file,
                                                   std::span<const std::string_view> served);

}  // namespace flowstate::cli
