// DurableRun: runs definitions durably, as the CLI does but in the test's process — an
// ExecutionHost on a real store in a TempDir, the real arn:flowstate:::command resource with
// the step script (step_script.hpp) in the folder, and a skip-waits clock — and redrives or
// resumes them. Each call builds a fresh host, as each
// `flowstate` command does. Definitions are written as files into the folder, so a parent's
// startExecution finds its child definition beside it. Header-only test harness.
#pragma once

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/store/store.hpp"
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "test/harness/step_script.hpp"
#include "test/harness/store_options.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::test {

/// The types of `events` from position `first` on, in order.
inline std::vector<std::string> types_from(const std::vector<boost::json::value>& events,
                                           std::size_t first = 0) {
  std::vector<std::string> types;
  for (std::size_t i = first; i < events.size(); ++i) types.emplace_back(events[i].at("type").as_string());
  return types;
}

class DurableRun {
 public:
  DurableRun() : store_(store::Store::open(writing(dir_ / "store"))) { write_step_script(dir_.path()); }

  const TempDir& dir() const { return dir_; }
  store::Store& store() { return *store_; }
  durable::ExecutionCatalog catalog() const { return durable::ExecutionCatalog(*store_); }

  /// Writes `text` as definition file `file` in the folder (for nested machines) and returns
  /// its path. Every "{dir}" in the text becomes the folder's path.
  std::filesystem::path write_definition(std::string_view file, std::string text) const {
    const std::string_view token = "{dir}";
    for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at))
      text.replace(at, token.size(), dir_.path().string());
    return dir_.write(file, text);
  }

  /// Writes the definition as `file`, starts an execution of it named `name` and runs it to
  /// its end.
  durable::ExecutionRecord run(std::string_view file, std::string text, std::string_view input,
                               std::string name) {
    auto request = new_execution(file, std::move(text), input, std::move(name));
    return drive([&](durable::ExecutionHost& host) { return host.run(host.create(std::move(request))); });
  }

  /// Only records a new RUNNING execution, as a process that died before its first step leaves it.
  durable::ExecutionRecord create(std::string_view file, std::string text, std::string_view input,
                                  std::string name) {
    tasks::ResourceRegistry resources;  // runs nothing
    durable::ExecutionHost host(*store_, host_options(resources));
    return host.create(new_execution(file, std::move(text), input, std::move(name)));
  }

  durable::ExecutionRecord redrive(std::string_view id_or_name,
                                   std::optional<std::string> from = std::nullopt) {
    auto record = find(id_or_name);
    return drive([&](durable::ExecutionHost& host) { return host.redrive(record, from); });
  }

  durable::ExecutionRecord resume(std::string_view id_or_name) {
    auto record = find(id_or_name);
    return drive([&](durable::ExecutionHost& host) { return host.resume(record); });
  }

  std::vector<std::string> redrive_plan(std::string_view id_or_name,
                                        const std::optional<std::string>& from = std::nullopt) {
    auto record = find(id_or_name);
    tasks::ResourceRegistry resources;  // runs nothing
    durable::ExecutionHost host(*store_, host_options(resources));
    return host.redrive_plan(record, from);
  }

  durable::ExecutionRecord find(std::string_view id_or_name) const {
    auto record = catalog().find(id_or_name);
    if (!record) throw std::runtime_error("no execution " + std::string(id_or_name));
    return *record;
  }

  /// The history as GetExecutionHistory shows it.
  std::vector<boost::json::value> history(std::string_view id_or_name) const {
    std::vector<boost::json::value> events;
    catalog().events(find(id_or_name).id, [&](const boost::json::value& event) {
      events.push_back(event);
      return true;
    });
    return events;
  }

  /// The events' types, in order.
  std::vector<std::string> event_types(std::string_view id_or_name) const {
    return types_from(history(id_or_name));
  }

 private:
  durable::HostOptions host_options(tasks::ResourceRegistry& resources) {
    durable::HostOptions options;
    options.clock = &clock_;
    options.resources = &resources;
    options.seed = 1;
    return options;
  }

  durable::NewExecution new_execution(std::string_view file, std::string text, std::string_view input,
                                      std::string name) const {
    auto path = write_definition(file, std::move(text));
    auto parsed = data::parse_json(input);
    if (!parsed) throw std::runtime_error("the test's input is not JSON");
    durable::NewExecution request;
    request.definition = durable::DefinitionSource{path.string(), dir_.read(file)};
    request.input = std::move(*parsed);
    request.name = std::move(name);
    return request;
  }

  template <typename Start>
  durable::ExecutionRecord drive(Start start) {
    boost::asio::io_context io;
    tasks::ResourceRegistry resources;
    resources.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
    durable::ExecutionHost host(*store_, host_options(resources));
    std::optional<durable::ExecutionRecord> result;
    std::exception_ptr failure;
    // A refusal escapes the coroutine and is rethrown here, so it reaches the test.
    auto work = start(host);
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, durable::ExecutionRecord record) {
      failure = error;
      if (!error) result = std::move(record);
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  runtime::SkipWaitsClock clock_;
};

}  // namespace flowstate::test
