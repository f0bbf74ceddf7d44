#include "engine/durable/nested_execution.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_host.hpp"

namespace flowstate::durable {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

enum class Wait { none, sync, sync2 };

tasks::TaskResult failure(std::string error, std::string cause) {
  return tasks::TaskResult(boost::system::in_place_error, asl::Failure(std::move(error), std::move(cause)));
}

// The definition StateMachineArn names, next to the parent's.
std::optional<fs::path> resolve_definition(std::string_view arn, const fs::path& parent_file) {
  fs::path folder = parent_file.parent_path();
  std::vector<fs::path> candidates;
  if (arn.starts_with("arn:")) {
    std::string_view name = arn.substr(arn.rfind(':') + 1);
    for (std::string_view extension : {".yaml", ".yml", ".json", ".asl.json", ".asl.yaml", ".asl.yml"})
      candidates.push_back(folder / (std::string(name) + std::string(extension)));
  } else {
    fs::path path(arn);
    candidates.push_back(path.is_absolute() ? path : folder / path);
  }
  for (const fs::path& candidate : candidates)
    if (fs::is_regular_file(candidate)) return candidate;
  return std::nullopt;
}

// DescribeExecution as the .sync integrations return it: PascalCase members in AWS's
// (alphabetical) order, dates as epoch milliseconds; .sync:2 gives Input and Output as JSON.
json::object sync_output(const ExecutionRecord& child, Wait wait) {
  json::object out;
  bool as_json = wait == Wait::sync2;
  if (child.cause && child.status != runtime::ExecutionStatus::succeeded) out["Cause"] = *child.cause;
  if (child.error && child.status != runtime::ExecutionStatus::succeeded) out["Error"] = *child.error;
  out["ExecutionArn"] = child.execution_arn();
  out["Input"] = as_json ? child.input : json::value(data::serialize_json(child.input));
  out["InputDetails"] = json::object{{"Included", true}};
  out["Name"] = child.name;
  if (child.output) {
    out["Output"] = as_json ? *child.output : json::value(data::serialize_json(*child.output));
    out["OutputDetails"] = json::object{{"Included", true}};
  }
  out["RedriveCount"] = child.redrive_count;
  bool succeeded = child.status == runtime::ExecutionStatus::succeeded;
  out["RedriveStatus"] = succeeded ? "NOT_REDRIVABLE" : "REDRIVABLE";
  if (succeeded) out["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven";
  out["StartDate"] = data::epoch_milliseconds(child.start);
  out["StateMachineArn"] = child.state_machine_arn();
  out["Status"] = runtime::to_string(child.status);
  if (child.stop) out["StopDate"] = data::epoch_milliseconds(*child.stop);
  return out;
}

class NestedExecution final : public tasks::TaskResource {
 public:
  NestedExecution(ExecutionHost& host, Wait wait) : host_(host), wait_(wait) {}

  asio::awaitable<tasks::TaskResult> run(tasks::TaskRequest request) override {
    const json::object* parameters = request.parameters.if_object();
    const json::value* arn = parameters ? parameters->if_contains("StateMachineArn") : nullptr;
    if (!arn || !arn->is_string())
      co_return failure(std::string(asl::error_name::kTaskFailed),
                        "startExecution: the parameters need a StateMachineArn string");
    const ExecutionRecord* parent = host_.running_record(request.execution_id);
    if (!parent)
      co_return failure(std::string(asl::error_name::kTaskFailed),
                        "startExecution: nested executions need the store");

    std::optional<ExecutionRecord> child;
    if (auto id = host_.catalog().child(parent->id, parent->redrive_count, request.invocation))
      child = host_.catalog().find(*id);  // started before this process resumed the parent
    if (!child) {
      std::optional<NamedDefinition> named;
      if (host_.options().state_machines) named = host_.options().state_machines(arn->get_string());
      // A parent without a file (created through the server's API) names no file either.
      auto file = named || parent->file.empty() ? std::nullopt : resolve_definition(arn->get_string(), parent->file);
      if (!named && !file)
        co_return failure("StepFunctions.StateMachineDoesNotExistException",
                          parent->file.empty()
                              ? fmt::format("State Machine Does Not Exist: '{}'", std::string_view(arn->get_string()))
                              : fmt::format("State Machine Does Not Exist: '{}' (no such definition next "
                                            "to {})",
                                            std::string_view(arn->get_string()), parent->file));
      if (!named) {
        auto source = DefinitionSource::read(*file);
        if (!source)
          co_return failure(std::string(asl::error_name::kTaskFailed),
                            fmt::format("startExecution: cannot read '{}': {}", file->string(),
                                        std::strerror(errno)));
        // Filled as the parent's definition was (ExecutionRecord::substitutions).
        definition::Diagnostics unfilled;
        source->text = definition::fill_placeholders(source->text, parent->settings.substitutions, source->file, unfilled);
        if (!unfilled.empty())
          co_return failure("StepFunctions.InvalidDefinitionException",
                            definition::to_string(unfilled.sorted().front()));
        named = NamedDefinition{"", std::move(*source)};
      }
      NewExecution fresh;
      fresh.definition = std::move(named->source);
      fresh.machine = std::move(named->machine);
      if (const json::value* input = parameters->if_contains("Input")) {
        fresh.input = *input;
        if (input->is_string())
          if (auto parsed = data::parse_json(input->get_string())) fresh.input = std::move(*parsed);
      } else {
        fresh.input = json::object();
      }
      if (const json::value* name = parameters->if_contains("Name"); name && name->is_string())
        fresh.name = std::string(name->get_string());
      fresh.parent = parent->id;
      fresh.invocation = request.invocation;
      fresh.parent_redrive = parent->redrive_count;
      fresh.settings = parent->settings;
      try {
        child = host_.create(std::move(fresh));
      } catch (const ExecutionRefused& refused) {
        std::string_view what = refused.what();
        co_return failure(what.find("already exists") != std::string_view::npos
                              ? "StepFunctions.ExecutionAlreadyExistsException"
                              : "StepFunctions.InvalidDefinitionException",
                          std::string(what));
      }
      if (wait_ == Wait::none) {
        // Runs beside the parent; the process waits for it before exiting.
        auto executor = co_await asio::this_coro::executor;
        asio::co_spawn(executor, host_.run(*child), [](std::exception_ptr, ExecutionRecord) {});
        co_return json::value(json::object{{"ExecutionArn", child->execution_arn()},
                                           {"StartDate", data::epoch_milliseconds(child->start)}});
      }
      child = co_await host_.run(std::move(*child));
    } else if (child->status == runtime::ExecutionStatus::running && !host_.running(child->id)) {
      child = co_await host_.resume(std::move(*child));
    }
    if (wait_ == Wait::none)
      co_return json::value(json::object{{"ExecutionArn", child->execution_arn()},
                                         {"StartDate", data::epoch_milliseconds(child->start)}});

    asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none)
      throw boost::system::system_error(asio::error::operation_aborted);
    json::object output = sync_output(*child, wait_);
    if (child->status == runtime::ExecutionStatus::succeeded) co_return json::value(std::move(output));
    co_return failure(std::string(asl::error_name::kTaskFailed), data::serialize_json(output));
  }

 private:
  ExecutionHost& host_;
  Wait wait_;
};

}  // namespace

void add_nested_executions(tasks::ResourceRegistry& registry, ExecutionHost& host) {
  registry.add(std::string(kStartExecution), std::make_shared<NestedExecution>(host, Wait::none));
  registry.add(std::string(kStartExecutionSync), std::make_shared<NestedExecution>(host, Wait::sync));
  registry.add(std::string(kStartExecutionSync2), std::make_shared<NestedExecution>(host, Wait::sync2));
}

}  // namespace flowstate::durable
