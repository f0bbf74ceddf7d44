#include "tools/flowstate/definition_loading.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <span>
#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/nested_execution.hpp"
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/lambda_invoke.hpp"

namespace flowstate::cli {

namespace {

// The Task resources a run serves.
struct ServedResources {
  std::span<const std::string_view> arns;  // served exactly
  bool lambda = false;  // --lambda-endpoint: every Lambda function ARN and lambda:invoke
};

// Commands, and nested state machines (not with --no-store: first(1)).
constexpr std::string_view kServed[] = {tasks::kCommandResource, durable::kStartExecution,
                                        durable::kStartExecutionSync, durable::kStartExecutionSync2};

// Every Task's Resource must be served before anything starts. With a mock test case, a
// state it does not mock is only warned about: AWS Step Functions Local would call the real
// service there, and a test case need not mock states its path never reaches; flowstate
// fails the run with States.Runtime if it does reach one (task_attempt.cpp).
bool check_resources(const definition::StateMachine& machine, const ServedResources& served,
                     const tasks::MockedStates* mocked, const definition::FilledPositions& positions) {
  bool ok = true;
  for (const auto& state : machine.states) {
    if (const auto* task = std::get_if<states::TaskState>(&state.body)) {
      if (std::find(served.arns.begin(), served.arns.end(), task->integration) != served.arns.end()) continue;
      if (served.lambda && tasks::is_lambda_resource(task->integration)) continue;
      if (mocked && mocked->contains(state.fields.name)) continue;
      if (task->activity) {
        std::cerr << fmt::format("{}: error: state '{}' is an activity task ('{}'): its workers take "
                                 "their tasks from 'flowstate server' (GetActivityTask), so start it "
                                 "there, or mock the state with --mock-config\n",
                                 positions.original(task->resource_location), state.fields.name, task->resource);
        ok = false;
        continue;
      }
      if (mocked) {
        std::cerr << fmt::format("{}: warning: the test case mocks no response for state '{}', and "
                                 "no task resource serves '{}'; the run fails with States.Runtime "
                                 "if it reaches that state\n",
                                 positions.original(task->resource_location), state.fields.name, task->resource);
        continue;
      }
      std::string names;
      for (std::string_view arn : served.arns) names += fmt::format("{}'{}'", names.empty() ? "" : ", ", arn);
      std::cerr << fmt::format("{}: error: no task resource serves '{}' (state '{}'); flowstate "
                               "serves {}, Lambda function ARNs and '{}' with --lambda-endpoint "
                               "URL, and mocks any Task state with --mock-config\n",
                               positions.original(task->resource_location), task->resource, state.fields.name, names,
                               tasks::kLambdaInvokeResource);
      ok = false;
    } else if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
      for (const auto& branch : parallel->branches) ok = check_resources(*branch, served, mocked, positions) && ok;
    } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
      ok = check_resources(*map->processor, served, mocked, positions) && ok;
    }
  }
  return ok;
}

// The warnings of `validate`: what AWS would not deploy as written, although flowstate reads it.
void warn(const definition::SourceLocation& location, std::string_view message) {
  std::cerr << fmt::format("{}: warning: {}\n", location, message);
}

bool has_json_extension(const std::string& file) { return std::filesystem::path(file).extension() == ".json"; }

void print_diagnostics(const std::vector<definition::Diagnostic>& diagnostics, DiagnosticOutput output) {
  for (const auto& diagnostic : diagnostics) std::cerr << to_string(diagnostic) << '\n';
  if (output != DiagnosticOutput::lines_and_json) return;
  boost::json::array list;
  for (const auto& [location, message] : diagnostics)
    list.push_back(boost::json::object{{"file", location.file},
                                       {"line", location.line},
                                       {"column", location.column},
                                       {"message", message}});
  std::cout << data::serialize_json(boost::json::object{{"error", "InvalidDefinition"},
                                                        {"diagnostics", std::move(list)}})
            << '\n';
}

}  // namespace

std::optional<RunnableDefinition> load_definition(const std::string& file, const DefinitionLoading& loading) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  definition::FilledPositions positions;
  auto source = durable::DefinitionSource::read(file);
  if (!source) {
    diagnostics.add(definition::SourceLocation{file, 0, 0},
                    fmt::format("cannot read the file: {}", std::strerror(errno)));
  } else {
    static const definition::Substitutions kNone;
    auto filled = definition::fill_placeholders(source->text, loading.substitutions ? *loading.substitutions : kNone,
                                                file);
    bool warn_only = loading.purpose == DefinitionLoading::For::validating && !loading.substitutions;
    for (const auto& placeholder : filled.unfilled) {
      if (warn_only)
        warn(placeholder.location, fmt::format("the placeholder ${{{0}}} is not filled: CloudFormation fills it "
                                               "from DefinitionSubstitutions; `flowstate run` needs --substitute "
                                               "{0}=VALUE or a --substitutions file",
                                               placeholder.name));
      else
        diagnostics.add(placeholder.location, definition::unfilled_message(placeholder));
    }
    source->text = std::move(filled.text);
    positions = std::move(filled.positions);
    // What fails to parse with a placeholder in it would say nothing useful.
    if (!diagnostics.empty()) source.reset();
  }
  if (source) {
    // Positions in the filled text, reported where they are in the file as written.
    definition::Diagnostics found;
    if (auto document = definition::Document::parse(source->text, file, found)) {
      plan = definition::compile_plan(*document, found);
      if (loading.purpose == DefinitionLoading::For::validating && has_json_extension(file))
        if (auto problem = definition::Document::json_problem(source->text, file))
          warn(positions.original(problem->location),
               fmt::format("AWS Step Functions will not accept this file: {}; flowstate reads it because it reads "
                           "YAML, which allows this",
                           problem->message));
    }
    for (const auto& diagnostic : found.items()) diagnostics.add(positions.original(diagnostic.location), diagnostic.message);
    if (plan)
      for (auto& feature : plan->unsupported) feature.location = positions.original(feature.location);
  }
  if (!plan || !diagnostics.empty()) {
    print_diagnostics(diagnostics.sorted(), loading.output);
    return std::nullopt;
  }
  if (!loading.machine_name.empty()) plan->name = loading.machine_name;
  if (auto problem = durable::name_problem(plan->name)) {
    std::cerr << fmt::format("{}: error: the state machine name '{}' {}; {}\n", file, plan->name, *problem,
                             loading.machine_name.empty()
                                 ? "it is the file's name without its extension: rename the file or give "
                                   "--machine-name NAME"
                                 : "give another --machine-name");
    return std::nullopt;
  }
  return RunnableDefinition{std::move(*source), std::move(*plan), std::move(positions)};
}

std::optional<StartableDefinition> prepare_start(const std::string& file, const StartSettings& settings) {
  static const LambdaSettings kNoLambda;
  auto lambda = choose_lambda_endpoint(settings.lambda ? *settings.lambda : kNoLambda, {});
  if (!lambda) return std::nullopt;
  auto definition = load_definition(file, settings.loading);
  if (!definition) return std::nullopt;
  StartableDefinition startable{std::move(*definition), std::move(*lambda), std::nullopt};
  if (settings.mocks && !settings.mocks->config.empty()) {
    startable.mocks = load_mocks(*settings.mocks, startable.definition.plan.name, &startable.definition.plan.machine);
    if (!startable.mocks) return std::nullopt;
  }
  if (!check_startable(startable.definition, startable.lambda.endpoint.has_value(),
                       startable.mocks ? startable.mocks->states : nullptr, settings.loading.output))
    return std::nullopt;
  return startable;
}

bool check_startable(const RunnableDefinition& definition, bool lambda_endpoint, const tasks::MockedStates* mocked,
                     DiagnosticOutput output) {
  const definition::Plan& plan = definition.plan;
  if (!plan.unsupported.empty()) {
    print_diagnostics(plan.unsupported, output);
    return false;
  }
  ServedResources served{kServed, lambda_endpoint};
  return check_resources(plan.machine, served, mocked, definition.positions);
}

}  // namespace flowstate::cli
