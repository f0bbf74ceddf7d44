#include "tools/flowstate/inspect_commands.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/durable/execution_catalog.hpp"

namespace flowstate::cli {

namespace json = boost::json;

void add_inspect_commands(CLI::App& app, InspectOptions& options) {
  CLI::App* list = app.add_subcommand("list", "List the executions in the store, oldest first");
  list->add_option("--status", options.status, "only executions with this status")
      ->check(CLI::IsMember({"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}, CLI::ignore_case));
  list->add_option("--format", options.format, "text (a table) or json")
      ->check(CLI::IsMember({"text", "json"}));
  list->add_option("--map-run", options.map_run,
                   "only the child executions of this Map Run (a Distributed Map's mapRunArn), "
                   "which are left out otherwise");
  add_store_options(*list, options.store, false);

  CLI::App* describe = app.add_subcommand("describe", "Print an execution as DescribeExecution does");
  describe->add_option("ID", options.execution, "the execution's id or name")->required();
  add_store_options(*describe, options.store, false);

  CLI::App* history = app.add_subcommand("history", "Print an execution's history events");
  history->add_option("ID", options.execution, "the execution's id or name")->required();
  history->add_option("--format", options.format,
                      "text (one line per event) or json (as GetExecutionHistory returns it)")
      ->check(CLI::IsMember({"text", "json"}));
  add_store_options(*history, options.store, false);

  CLI::App* logs = app.add_subcommand("logs", "Print the log lines an execution's tasks wrote");
  logs->add_option("ID", options.execution, "the execution's id or name")->required();
  logs->add_option("--state", options.state, "only the lines of this state's tasks");
  add_store_options(*logs, options.store, false);
}

namespace {

std::string date(std::chrono::system_clock::time_point time) {
  return data::format_timestamp(std::chrono::floor<std::chrono::seconds>(time));
}

std::string_view text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
}

ExitCode list(const store::Store& store, const InspectOptions& options) {
  std::optional<runtime::ExecutionStatus> status;
  if (!options.status.empty()) {
    std::string upper = options.status;  // --status running: any case is accepted
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    status = durable::parse_status(upper);
  }
  auto records = durable::ExecutionCatalog(store).list(status);
  // As ListExecutions: a Map Run's children only when asked for by its ARN.
  std::erase_if(records, [&](const durable::ExecutionRecord& record) { return record.map_run != options.map_run; });
  if (options.format == "json") {
    json::array out;
    for (const auto& record : records) {
      json::object entry = durable::describe_execution(record);
      entry["id"] = record.id;
      if (!record.parent.empty()) entry["parent"] = record.parent;
      entry.erase("input");
      entry.erase("output");
      out.push_back(std::move(entry));
    }
    std::cout << data::serialize_json(out) << '\n';
    return ExitCode::succeeded;
  }
  std::cout << fmt::format("{:<16}  {:<9}  {:<20}  {:<20}  {}\n", "ID", "STATUS", "STARTED",
                           "MACHINE", "NAME");
  for (const auto& record : records)
    std::cout << fmt::format("{:<16}  {:<9}  {:<20}  {:<20}  {}{}\n", record.id,
                             runtime::to_string(record.status), date(record.start), record.machine,
                             record.name, record.parent.empty() ? "" : "  (child of " + record.parent + ")");
  return ExitCode::succeeded;
}

ExitCode history(const store::Store& store, const durable::ExecutionRecord& record,
                 const InspectOptions& options) {
  durable::ExecutionCatalog catalog(store);
  if (options.format == "json") {
    json::array events;
    catalog.events(record.id, [&](const json::value& event) {
      events.push_back(event);
      return true;
    });
    std::cout << data::serialize_json(json::object{{"events", std::move(events)}}) << '\n';
    return ExitCode::succeeded;
  }
  catalog.events(record.id, [&](const json::value& value) {
    const json::object& event = value.get_object();
    std::string name;
    for (const auto& [key, details] : event)
      if (key.ends_with("EventDetails") && details.is_object()) {
        name = std::string(text_of(details.get_object(), "name"));
        if (const json::value* error = details.get_object().if_contains("error"); error && error->is_string())
          name += (name.empty() ? "" : " ") + std::string(error->get_string());
      }
    std::cout << fmt::format("{:>5} {:>5}  {}  {:<28} {}\n", event.at("id").as_int64(),
                             event.at("previousEventId").as_int64(), text_of(event, "timestamp"),
                             text_of(event, "type"), name);
    return true;
  });
  return ExitCode::succeeded;
}

// Whether the execution's definition has a state named `state`, at any depth (true when the
// definition is not in the store, so nothing is refused on a guess).
bool defines_state(const durable::ExecutionCatalog& catalog, const durable::ExecutionRecord& record,
                   std::string_view state) {
  auto source = catalog.definition(record.definition);
  if (!source) return true;
  definition::Diagnostics ignored;
  auto document = definition::Document::parse(source->text, source->file, ignored);
  if (!document) return true;
  auto plan = definition::compile_plan(*document, ignored);
  return !plan || plan->machine.defines(state);
}

ExitCode logs(const store::Store& store, const durable::ExecutionRecord& record,
              const InspectOptions& options) {
  durable::ExecutionCatalog catalog(store);
  if (!options.state.empty() && !defines_state(catalog, record, options.state)) {
    std::cerr << fmt::format("flowstate: execution {} has no state '{}': its definition ({}) does not "
                             "name one\n",
                             record.name, options.state, record.file);
    return ExitCode::invalid_input;
  }
  catalog.logs(record.id, [&](const json::value& value) {
    const json::object& line = value.get_object();
    if (!options.state.empty() && text_of(line, "state") != options.state) return;
    std::cout << fmt::format("{} [{}] {}\n", text_of(line, "timestamp"), text_of(line, "state"),
                             text_of(line, "line"));
  });
  return ExitCode::succeeded;
}

}  // namespace

ExitCode inspect_command(std::string_view name, const InspectOptions& options) {
  if (name == "list") {
    std::unique_ptr<store::Store> store;
    try {
      store = open_store(options.store, store::AccessMode::read, {});
    } catch (const store::StoreError& error) {
      if (error.kind() != store::StoreError::Kind::missing) throw;
      // No store yet is no executions yet, as in a fresh CI checkout.
      if (options.format == "json") std::cout << "[]\n";
      return ExitCode::succeeded;
    }
    return list(*store, options);
  }
  auto store = open_store(options.store, store::AccessMode::read, {});
  auto record = durable::ExecutionCatalog(*store).find(options.execution);
  if (!record) {
    std::cerr << fmt::format("flowstate: no execution '{}' in store {}\n", options.execution,
                             store->directory().string());
    return ExitCode::invalid_input;
  }
  if (name == "describe") {
    std::cout << data::serialize_json_pretty(durable::describe_execution(*record)) << '\n';
    return ExitCode::succeeded;
  }
  if (name == "history") return history(*store, *record, options);
  return logs(*store, *record, options);
}

}  // namespace flowstate::cli
