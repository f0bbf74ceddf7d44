// compile_plan: Document → Plan, or every Diagnostic found. Resolves StartAt / Next /
// Default / Catch targets to indices and runs the whole-machine checks (unique names,
// reachability, a way out of every loop).
#pragma once

#include <optional>

#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/definition/plan.hpp"

namespace flowstate::definition {

std::optional<Plan> compile_plan(const Document& document, Diagnostics& diagnostics);

}  // namespace flowstate::definition
