#include "tools/flowstate/definition_loading.hpp"

#include <iostream>

#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"

namespace flowstate::cli {

std::optional<definition::Plan> load_plan(const std::string& file) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::load_file(file, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  for (const auto& diagnostic : diagnostics.sorted()) std::cerr << to_string(diagnostic) << '\n';
  if (!diagnostics.empty()) return std::nullopt;
  return plan;
}

}  // namespace flowstate::cli
