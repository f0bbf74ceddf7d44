#include "tools/flowstate/validate_command.hpp"

#include "tools/flowstate/definition_loading.hpp"

namespace flowstate::cli {

void add_validate_command(CLI::App& app, ValidateOptions& options) {
  CLI::App* validate = app.add_subcommand("validate", "Check definitions without running them");
  validate->add_option("FILE", options.files, "definition files (YAML or JSON)")->required();
}

ExitCode validate_command(const ValidateOptions& options) {
  bool ok = true;
  for (const auto& file : options.files) ok = load_definition(file).has_value() && ok;
  return ok ? ExitCode::succeeded : ExitCode::invalid_input;
}

}  // namespace flowstate::cli
