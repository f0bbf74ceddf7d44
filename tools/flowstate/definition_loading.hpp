// Loading a definition file for a command: parse, compile, and print every diagnostic as
// "file:line:col: error: message" on stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/definition/definition_substitutions.hpp"
#include "engine/definition/plan.hpp"
#include "engine/durable/definition_source.hpp"
#include "tools/flowstate/lambda_settings.hpp"
#include "tools/flowstate/mock_settings.hpp"

namespace flowstate::cli {

/// A definition read once and compiled from that text: what a run records and what it runs.
struct RunnableDefinition {
  durable::DefinitionSource source;  ///< its ${Name} placeholders filled
  definition::Plan plan;             ///< plan.name: the state machine's name
  /// Where the plan's positions (in the filled text) are in the file as written.
  definition::FilledPositions positions;
};

/// Where the diagnostics of a definition that does not load go: stderr, one line each; with
/// `lines_and_json` (--format json) also one object on stdout, in AWS's error vocabulary:
/// {"error": "InvalidDefinition", "diagnostics": [{"file", "line", "column", "message"}]}.
enum class DiagnosticOutput { lines, lines_and_json };

/// How a command reads a definition file.
struct DefinitionLoading {
  /// The values of its ${Name} placeholders; null when no substitution option was given.
  const definition::Substitutions* substitutions = nullptr;
  /// The state machine's name (--machine-name); "" → the file's (machine_name_of).
  std::string machine_name;
  /// validate: placeholders left unfilled when no substitution option was given are warnings
  /// (AWS would see them filled by CloudFormation), and a `.json` file that only YAML reads
  /// (a trailing comma, a comment) is warned about, since AWS's parser refuses it.
  enum class For { running, validating } purpose = For::running;
  DiagnosticOutput output = DiagnosticOutput::lines;
};

/// Reads, fills and compiles `file`, and checks the state machine's name; nullopt after
/// printing what is wrong ("file:line:col: error: message" lines).
std::optional<RunnableDefinition> load_definition(const std::string& file, const DefinitionLoading& loading);

/// What `run` reads and checks before it starts an execution; `validate` checks the same.
struct StartSettings {
  DefinitionLoading loading;
  const MockSettings* mocks = nullptr;    ///< --mock-config, --test-case
  const LambdaSettings* lambda = nullptr;  ///< --lambda-endpoint
};

/// A definition an execution can start from, with the Lambda endpoint and mocks it runs with.
struct StartableDefinition {
  RunnableDefinition definition;
  LambdaChoice lambda;
  std::optional<LoadedMocks> mocks;
};

/// Loads `file` (load_definition), chooses the Lambda endpoint, loads the mocks, and checks
/// that the plan uses no feature the runtime refuses (Plan::unsupported) and that every
/// Task's Resource is served: by flowstate (commands, nested machines), the Lambda endpoint,
/// or the mock test case, which only warns about a state it does not answer (the run fails
/// with States.Runtime if it reaches it). Nullopt after printing what is wrong.
std::optional<StartableDefinition> prepare_start(const std::string& file, const StartSettings& settings);

/// prepare_start's checks of a loaded definition: no refused feature, and every Task served
/// (`lambda_endpoint`: one is set; `mocked`: the mock test case, may be null). False after
/// printing what is wrong.
bool check_startable(const RunnableDefinition& definition, bool lambda_endpoint, const tasks::MockedStates* mocked,
                     DiagnosticOutput output = DiagnosticOutput::lines);

}  // namespace flowstate::cli
