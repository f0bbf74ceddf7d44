#include "tools/flowstate/definition_loading.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/tasks/lambda_invoke.hpp"

namespace flowstate::cli {

namespace {

// Every Task's Resource must be served before anything starts. With a mock test case, a
// state it does not mock is only warned about: AWS Step Functions Local would call the real
// service there, and a test case need not mock states its path never reaches; flowstate
// fails the run with States.Runtime if it does reach one (task_attempt.cpp).
bool check_resources(const definition::StateMachine& machine,
                     const ServedResources& served, const tasks::MockedStates* mocked) {
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
                                 task->resource_location, state.fields.name, task->resource);
        ok = false;
        continue;
      }
      if (mocked) {
        std::cerr << fmt::format("{}: warning: the test case mocks no response for state '{}', and "
                                 "no task resource serves '{}'; the run fails with States.Runtime "
                                 "if it reaches that state\n",
                                 task->resource_location, state.fields.name, task->resource);
        continue;
      }
      std::string names;
      for (std::string_view arn : served.arns) names += fmt::format("{}'{}'", names.empty() ? "" : ", ", arn);
      std::cerr << fmt::format("{}: error: no task resource serves '{}' (state '{}'); flowstate "
                               "serves {}, Lambda function ARNs and '{}' with --lambda-endpoint "
                               "URL, and mocks any Task state with --mock-config\n",
                               task->resource_location, task->resource, state.fields.name, names,
                               tasks::kLambdaInvokeResource);
      ok = false;
    } else if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
      for (const auto& branch : parallel->branches) ok = check_resources(*branch, served, mocked) && ok;
    } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
      ok = check_resources(*map->processor, served, mocked) && ok;
    }
  }
  return ok;
}

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

std::optional<RunnableDefinition> load_definition(const std::string& file, DiagnosticOutput output) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  auto source = durable::DefinitionSource::read(file);
  if (!source)
    diagnostics.add(definition::SourceLocation{file, 0, 0},
                    fmt::format("cannot read the file: {}", std::strerror(errno)));
  else if (auto document = definition::Document::parse(source->text, file, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  if (!plan || !diagnostics.empty()) {
    print_diagnostics(diagnostics.sorted(), output);
    return std::nullopt;
  }
  return RunnableDefinition{std::move(*source), std::move(*plan)};
}

bool check_runnable(const RunnableDefinition& definition, const ServedResources& served,
                    const tasks::MockedStates* mocked, DiagnosticOutput output) {
  if (!definition.plan.unsupported.empty()) {
    print_diagnostics(definition.plan.unsupported, output);
    return false;
  }
  return check_resources(definition.plan.machine, served, mocked);
}

}  // namespace flowstate::cli
