#include "tools/flowstate/definition_loading.hpp"

#include <iostream>
#include <variant>

#include <fmt/format.h>

#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/tasks/command_task.hpp"

namespace flowstate::cli {

namespace {

// Every Task's Resource must be served before anything starts.
bool check_resources(const definition::StateMachine& machine, const tasks::ResourceRegistry& registry) {
  bool ok = true;
  for (const auto& state : machine.states) {
    if (const auto* task = std::get_if<states::TaskState>(&state.body)) {
      if (!registry.find(task->resource)) {
        std::cerr << fmt::format("{}: error: no task resource serves '{}'; flowstate runs '{}' "
                                 "(local commands)\n",
                                 task->resource_location, task->resource,
                                 tasks::kCommandResource);
        ok = false;
      }
    } else if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
      for (const auto& branch : parallel->branches) ok = check_resources(*branch, registry) && ok;
    } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
      ok = check_resources(*map->processor, registry) && ok;
    }
  }
  return ok;
}

}  // namespace

std::optional<definition::Plan> load_plan(const std::string& file) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::load_file(file, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  for (const auto& diagnostic : diagnostics.sorted()) std::cerr << to_string(diagnostic) << '\n';
  if (!diagnostics.empty()) return std::nullopt;
  return plan;
}

std::optional<definition::Plan> load_runnable_plan(const std::string& file,
                                                   const tasks::ResourceRegistry& resources) {
  auto plan = load_plan(file);
  if (!plan) return std::nullopt;
  if (!plan->unsupported.empty()) {
    for (const auto& feature : plan->unsupported) std::cerr << fmt::format("{}\n", feature);
    return std::nullopt;
  }
  if (!check_resources(plan->machine, resources)) return std::nullopt;
  return plan;
}

}  // namespace flowstate::cli
