#include "tools/flowstate/validate_command.hpp"

#include "tools/flowstate/definition_loading.hpp"

namespace flowstate::cli {

void add_validate_command(CLI::App& app, ValidateOptions& options) {
  CLI::App* validate = app.add_subcommand(
      "validate", "Check definitions without running them: what `flowstate run` with the same options would "
                  "refuse before starting");
  validate->add_option("FILE", options.files, "definition files (YAML or JSON)")->required();
  validate->add_option("--machine-name", options.machine_name,
                       "the state machine's name (default: each file's name without .json, .yaml, .yml and .asl)");
  add_substitution_options(*validate, options.substitutions);
  add_mock_options(*validate, options.mocks);
  add_lambda_options(*validate, options.lambda, LambdaOptionFor::run);
}

ExitCode validate_command(const ValidateOptions& options) {
  auto substitutions = load_substitutions(options.substitutions);
  if (!substitutions) return ExitCode::invalid_input;
  StartSettings settings{{options.substitutions.given() ? &*substitutions : nullptr, options.machine_name,
                          DefinitionLoading::For::validating},
                         &options.mocks,
                         &options.lambda};
  bool ok = true;
  for (const auto& file : options.files) ok = prepare_start(file, settings).has_value() && ok;
  return ok ? ExitCode::succeeded : ExitCode::invalid_input;
}

}  // namespace flowstate::cli
