// history_dump: runs a definition in memory and prints its history as GetExecutionHistory
// does, {"events": [...]}, for tools/conformance/history_fidelity.py while `flowstate run
// --store` and `flowstate history` are not there. Not installed.
//   history_dump DEFINITION [--input-file PATH] [--name NAME]
// The definition is loaded as `flowstate run` loads it (cli::load_runnable_plan, the same
// diagnostics and refusals) and runs with the skip-waits clock and the command resource.
// Exit codes as the CLI's: 0 SUCCEEDED, 1 FAILED/TIMED_OUT/ABORTED, 2 bad usage, definition
// or input.
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/runtime/history.hpp"
#include "engine/tasks/command_task.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "tools/flowstate/definition_loading.hpp"

namespace {

namespace json = boost::json;
using namespace flowstate;

constexpr int kUsage = 2;

int usage() {
  std::cerr << "usage: history_dump DEFINITION [--input-file PATH] [--name NAME]\n";
  return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file, input_file, name = "history-dump";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--input-file" && i + 1 < argc) input_file = argv[++i];
    else if (arg == "--name" && i + 1 < argc) name = argv[++i];
    else if (!arg.starts_with("-") && file.empty()) file = arg;
    else return usage();
  }
  if (file.empty()) return usage();

  tasks::ResourceRegistry registry;
  registry.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  auto plan = cli::load_runnable_plan(file, registry);
  if (!plan) return kUsage;

  std::string input_text = "{}";
  if (!input_file.empty()) {
    std::ifstream in(input_file, std::ios::binary);
    if (!in) {
      std::cerr << "history_dump: cannot read " << input_file << '\n';
      return kUsage;
    }
    std::ostringstream text;
    text << in.rdbuf();
    input_text = text.str();
  }
  auto input = data::parse_json(input_text);
  if (!input) {
    std::cerr << "history_dump: the input is not valid JSON: " << input.error().message << '\n';
    return kUsage;
  }

  runtime::SkipWaitsClock clock;
  runtime::MemoryEventSink sink;
  runtime::ExecutionOptions options;
  options.name = name;
  options.clock = &clock;
  options.resources = &registry;
  options.events = &sink;

  boost::asio::io_context io;
  std::optional<runtime::ExecutionResult> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, runtime::run_execution(*plan, std::move(*input), std::move(options)),
                        [&](std::exception_ptr error, runtime::ExecutionResult done) {
                          failure = error;
                          if (!error) result = std::move(done);
                        });
  io.run();
  if (failure) std::rethrow_exception(failure);

  json::array events;
  for (const auto& event : sink.events()) events.push_back(runtime::to_json(event));
  std::cout << data::serialize_json(json::object{{"events", std::move(events)}}) << '\n';
  return result->status == runtime::ExecutionStatus::succeeded ? 0 : 1;
}
