#include "tools/flowstate/served_store.hpp"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <set>
#include <variant>
#include <thread>

#include <fmt/format.h>

#include "engine/data/json_member.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/execution_host.hpp"
#include "states/map_state.hpp"
#include "states/parallel_state.hpp"
#include "tools/flowstate/api_client.hpp"
#include "tools/flowstate/progress_text.hpp"

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

// The names of the states that run inside a Map's iterations (state names are unique in a
// whole state machine).
void collect_map_states(const definition::StateMachine& machine, bool in_map, std::set<std::string, std::less<>>& names) {
  for (const auto& state : machine.states) {
    if (in_map) names.insert(state.fields.name);
    if (const auto* map = std::get_if<states::MapState>(&state.body)) collect_map_states(*map->processor, true, names);
    if (const auto* parallel = std::get_if<states::ParallelState>(&state.body))
      for (const auto& branch : parallel->branches) collect_map_states(*branch, in_map, names);
  }
}

// The plain progress of a served execution, from its history as it grows: a line per state
// it enters outside Map iterations.
class FollowedHistory {
 public:
  /// Where this command's part of the history starts.
  enum class From {
    beginning,    ///< a new execution
    last_redrive, ///< after the latest ExecutionRedriven (the redrive's record is written)
    now,          ///< after the events recorded so far (a resume)
  };

  FollowedHistory(const durable::ExecutionCatalog& catalog, const durable::ExecutionRecord& record, From from) {
    if (auto source = catalog.definition(record.definition)) {
      try {
        collect_map_states(durable::compile_definition(*source).machine, false, in_maps_);
      } catch (const durable::ExecutionRefused&) {
        // It runs, so it compiled in the server; a definition this build refuses shows no states.
        valid_ = false;
      }
    }
    if (from == From::beginning) return;
    cursor_.last = catalog.last_event_id(record.id);
    if (from != From::last_redrive) return;
    // This redrive's ExecutionRedriven (its count is the record's); until it is recorded, the
    // events so far are all the earlier runs'.
    catalog.events(record.id, [&](const json::value& value) {
      const json::object& event = value.get_object();
      const json::value* details = event.if_contains("executionRedrivenEventDetails");
      if (details && details->is_object() &&
          data::integer_member(details->get_object(), "redriveCount") == record.redrive_count)
        cursor_.last = data::integer_member(event, "id");
      return true;
    });
  }

  void print_new(const durable::ExecutionCatalog& catalog, std::string_view id) {
    if (!valid_) return;
    catalog.events(id, cursor_, [&](const json::value& value) {
      const json::object& event = value.get_object();
      std::string type = data::string_member(event, "type");
      constexpr std::string_view kEntered = "StateEntered";
      if (!type.ends_with(kEntered)) return;
      const json::value* details = event.if_contains("stateEnteredEventDetails");
      if (!details || !details->is_object()) return;
      std::string name = data::string_member(details->get_object(), "name");
      if (in_maps_.contains(name)) return;
      type.resize(type.size() - kEntered.size());
      std::string line;
      append_entered_line(line, plain_head(std::chrono::steady_clock::now() - start_), "", name, type);
      std::cerr << line;
    });
  }

 private:
  std::set<std::string, std::less<>> in_maps_;
  bool valid_ = true;
  durable::ExecutionCatalog::EventCursor cursor_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

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
                       const json::object& request, bool quiet, ProgressMode progress, ResultFormat format) {
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

  // As when it runs here (execution_driver.hpp): these stop the execution.
  constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  std::map<int, void (*)(int)> previous;
  for (int signal : kStopSignals) previous[signal] = std::signal(signal, on_interrupt);
  auto restore_signals = [&] {
    for (auto [signal, handler] : previous) std::signal(signal, handler);
  };
  auto reader = open_store(store, store::AccessMode::read, {});
  std::map<std::string, std::uint64_t> printed;
  printed[id] = static_cast<std::uint64_t>(data::integer_member(reply.body, "logsFrom"));
  skip_earlier_logs(durable::ExecutionCatalog(*reader), id, printed);
  bool stop_sent = false;
  std::optional<durable::ExecutionRecord> record;
  std::optional<FollowedHistory> history;
  for (;;) {
    reader->refresh();
    durable::ExecutionCatalog catalog(*reader);
    record = catalog.find(id);
    if (record && progress != ProgressMode::none && !history) {
      if (action == "StartDefinition") history.emplace(catalog, *record, FollowedHistory::From::beginning);
      else if (action == "ResumeExecution") history.emplace(catalog, *record, FollowedHistory::From::now);
      else if (record->redrive_count >= redrives)
        history.emplace(catalog, *record, FollowedHistory::From::last_redrive);
    }
    if (history) history->print_new(catalog, id);
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
      restore_signals();
      return ExitCode::internal_error;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  restore_signals();
  print_result(*record, {format, quiet}, std::cout, std::cerr);
  return exit_code_of(record->status);
}

}  // namespace flowstate::cli
