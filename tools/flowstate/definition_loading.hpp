// Loading a definition file for a command: parse, compile, and print every diagnostic as
// "file:line:col: error: message" on stderr.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/definition/plan.hpp"
#include "engine/durable/definition_source.hpp"
#include "engine/tasks/mock_config.hpp"

namespace flowstate::cli {

/// A definition read once and compiled from that text: what a run records and what it runs.
struct RunnableDefinition {
  durable::DefinitionSource source;
  definition::Plan plan;
};

/// Where the diagnostics of a definition that does not load go: stderr, one line each; with
/// `lines_and_json` (--format json) also one object on stdout, in AWS's error vocabulary:
/// {"error": "InvalidDefinition", "diagnostics": [{"file", "line", "column", "message"}]}.
enum class DiagnosticOutput { lines, lines_and_json };

/// Reads and compiles `file`; nullopt after printing the diagnostics.
std::optional<RunnableDefinition> load_definition(const std::string& file,
                                                  DiagnosticOutput output = DiagnosticOutput::lines);

/// The Task resources a run serves.
struct ServedResources {
  std::span<const std::string_view> arns;  ///< served exactly
  bool lambda = false;  ///< --lambda-endpoint: every Lambda function ARN and lambda:invoke
};

/// What must hold before an execution of `definition` starts: the plan uses no feature the
/// runtime refuses (Plan::unsupported), and every Task's Resource is `served`. With a
/// mock test case (`mocked`, may be null), a state it does not answer is warned about
/// instead (the run fails with States.Runtime if it reaches it). False after printing what
/// is wrong.
bool check_runnable(const RunnableDefinition& definition, const ServedResources& served,
                    const tasks::MockedStates* mocked, DiagnosticOutput output = DiagnosticOutput::lines);

}  // namespace flowstate::cli
