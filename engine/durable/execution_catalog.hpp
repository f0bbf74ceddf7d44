// ExecutionCatalog: reads what the store holds about executions — records by id or name,
// histories, task logs, definitions, checkpoints — for the CLI's inspection commands and
// for resume and redrive. Works on a store opened for reading or writing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/durable/definition_source.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/map_run_record.hpp"
#include "engine/store/store.hpp"

namespace flowstate::durable {

class ExecutionCatalog {
 public:
  explicit ExecutionCatalog(const store::Store& store) : store_(store) {}

  /// By id, or else by name.
  std::optional<ExecutionRecord> find(std::string_view id_or_name) const;
  /// Every execution, oldest first; only those with `status` when given.
  std::vector<ExecutionRecord> list(std::optional<runtime::ExecutionStatus> status = {}) const;
  /// Each event as GetExecutionHistory shows it, in id order; `visit` returns false to stop.
  void events(std::string_view id, const std::function<bool(const boost::json::value&)>& visit) const;
  std::int64_t last_event_id(std::string_view id) const;
  /// Where a reader that follows a growing history is: the last event it saw, and the page
  /// (keys::event) that holds it.
  struct EventCursor {
    std::int64_t last = 0;
    std::int64_t page = 0;
  };
  /// The events after `cursor.last`, in id order, reading from the cursor's page on; the
  /// cursor moves past them.
  void events(std::string_view id, EventCursor& cursor,
              const std::function<void(const boost::json::value&)>& visit) const;
  /// Each task log line {"state", "timestamp", "line"}, in order, from the line numbered
  /// `from` on; returns the number of the line after the last one (`from` when none), where
  /// a reader that follows the log continues.
  std::uint64_t logs(std::string_view id, const std::function<void(const boost::json::value&)>& visit,
                     std::uint64_t from = 0) const;
  /// The number the execution's next log line will have (0 when it has none).
  std::uint64_t log_end(std::string_view id) const;
  std::optional<DefinitionSource> definition(std::string_view hash) const;
  /// The child execution a Task invocation of `parent` started (keys::child).
  std::optional<std::string> child(std::string_view parent, std::int64_t redrive_count,
                                   std::string_view invocation) const;
  /// The executions a parent's Tasks started, in no particular order.
  std::vector<ExecutionRecord> children(std::string_view parent) const;
  /// The Map Run with that ARN.
  std::optional<MapRunRecord> map_run(std::string_view arn) const;
  /// Its child executions, in no particular order.
  std::vector<ExecutionRecord> map_run_children(const MapRunRecord& map_run) const;
  /// Checkpoints and finished outputs by branch path.
  std::map<std::string, boost::json::value> checkpoints(std::string_view id) const;
  std::map<std::string, boost::json::value> finished(std::string_view id) const;

 private:
  const store::Store& store_;
};

}  // namespace flowstate::durable
