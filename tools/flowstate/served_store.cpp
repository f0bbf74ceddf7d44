#include "tools/flowstate/served_store.hpp"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "engine/data/json_member.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "tools/flowstate/api_client.hpp"

namespace flowstate::cli {

namespace json = boost::json;

namespace {

constexpr std::chrono::milliseconds kPollInterval{100};

std::atomic<int> interrupted{0};

extern "C" void on_interrupt(int) { interrupted.store(1); }

// Prints the task log lines of an execution and of the executions it started that were not
// printed yet (`printed`: the number of the next line to print, by execution id).
void print_new_logs(const durable::ExecutionCatalog& catalog, const durable::ExecutionRecord& record,
                    std::map<std::string, std::uint64_t>& printed) {
  std::uint64_t& next = printed[record.id];
  next = catalog.logs(record.id, [&](const json::value& value) {
    const json::object& line = value.get_object();
    if (record.parent.empty()) std::cerr << fmt::format("[{}] {}\n", data::string_member(line, "state"), data::string_member(line, "line"));
    else std::cerr << fmt::format("[{}/{}] {}\n", record.machine, data::string_member(line, "state"), data::string_member(line, "line"));
  }, next);
  for (const auto& child : catalog.children(record.id)) print_new_logs(catalog, child, printed);
}

// The executions `id` started in an earlier run, which have ended: their lines are not this
// command's. (A child that is running may be one this command's run just started.)
void skip_earlier_logs(const durable::ExecutionCatalog& catalog, std::string_view id,
                       std::map<std::string, std::uint64_t>& printed) {
  for (const auto& child : catalog.children(id)) {
    if (child.status != runtime::ExecutionStatus::running) printed[child.id] = catalog.log_end(child.id);
    skip_earlier_logs(catalog, child.id, printed);
  }
}

}  // namespace

std::optional<server::ServerPresence> serving_server(const StoreSettings& settings) {
  return server::ServerPresence::find(store_directory(settings));
}

ExitCode run_in_server(const server::ServerPresence& server, const StoreSettings& store, std::string_view action,
                       const json::object& request, bool quiet, ResultFormat format) {
  auto client = ApiClient::parse(server.url);
  if (!client) {
    std::cerr << fmt::format("flowstate: the server holding the store wrote an unusable address '{}': {}\n",
                             server.url, client.error());
    return ExitCode::internal_error;
  }
  std::vector<tasks::HttpHeader> key{{server::kStoreKeyHeader, server.key}};
  ApiReply reply = client->call_target(fmt::format("Flowstate.{}", action), request, key);
  if (!reply.ok()) {
    if (reply.status == 0) {
      std::cerr << "flowstate: " << reply.message << '\n';
      return ExitCode::internal_error;
    }
    std::cerr << fmt::format("flowstate: {}: {}\n", reply.error, reply.message);
    return reply.status < 500 ? ExitCode::invalid_input : ExitCode::internal_error;
  }
  std::string id = data::string_member(reply.body, "executionId");
  std::string arn = data::string_member(reply.body, "executionArn");
  const json::value* count = reply.body.if_contains("redriveCount");
  std::int64_t redrives = count && count->is_int64() ? count->get_int64() : 0;
  // A redrive has ended once the record counts it and is no longer RUNNING.
  if (action == "RedriveExecution") ++redrives;
  if (!quiet)
    std::cerr << fmt::format("flowstate: execution {} (id {}) runs in the server at {} (pid {}), which holds "
                             "the store\n",
                             data::string_member(reply.body, "name"), id, server.url, server.pid);

  auto previous_int = std::signal(SIGINT, on_interrupt);
  auto previous_term = std::signal(SIGTERM, on_interrupt);
  auto reader = open_store(store, store::AccessMode::read, {});
  std::map<std::string, std::uint64_t> printed;
  printed[id] = static_cast<std::uint64_t>(data::integer_member(reply.body, "logsFrom"));
  skip_earlier_logs(durable::ExecutionCatalog(*reader), id, printed);
  bool stop_sent = false;
  std::optional<durable::ExecutionRecord> record;
  for (;;) {
    reader->refresh();
    durable::ExecutionCatalog catalog(*reader);
    record = catalog.find(id);
    if (record && !quiet) print_new_logs(catalog, *record, printed);
    if (record && record->status != runtime::ExecutionStatus::running && record->redrive_count >= redrives) break;
    if (interrupted.load() && !stop_sent) {
      stop_sent = true;
      ApiReply stopped = client->call("StopExecution", json::object{{"executionArn", arn}}, key);
      if (!stopped.ok()) std::cerr << fmt::format("flowstate: could not stop {}: {}\n", arn, stopped.message);
    }
    if (::kill(server.pid, 0) != 0) {
      std::cerr << fmt::format("flowstate: the server (pid {}) stopped before execution {} ended; 'flowstate "
                               "resume {}' continues it\n",
                               server.pid, id, id);
      std::signal(SIGINT, previous_int);
      std::signal(SIGTERM, previous_term);
      return ExitCode::internal_error;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  print_result(*record, {format, quiet}, std::cout, std::cerr);
  return exit_code_of(record->status);
}

}  // namespace flowstate::cli
