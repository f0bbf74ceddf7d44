// StoreEventSink: an execution's EventSink on the store. Events and the latest checkpoint of
// every branch that moved wait in one WriteBatch, written atomically — so the store always
// holds a consistent prefix of the execution — before a task starts or time passes
// (Commit::now), and otherwise after at most `max_grouped` transitions, when the execution's
// record changes, or when a branch's children come or go. Task log lines go in batches of
// their own, so they never carry half a transition.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/durable/execution_record.hpp"
#include "engine/durable/map_run_record.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/store/store.hpp"

namespace flowstate::durable {

class StoreEventSink final : public runtime::EventSink {
 public:
  /// Continues after the events, checkpoints and log lines the execution already has.
  /// `max_grouped`: transitions of pure states in one batch at most (1: a batch each).
  /// `owner`: the execution's record, which its Distributed Maps' child executions take
  /// their definition from (without it they are not recorded).
  StoreEventSink(store::Store& store, std::string id, std::size_t max_grouped = 64,
                 const ExecutionRecord* owner = nullptr);

  void record(runtime::HistoryEvent event) override;
  void moved(const runtime::BranchProgress& branch, runtime::BranchMove move,
             runtime::Commit commit) override;
  void child_finished(const runtime::BranchProgress& child, const boost::json::value& output) override;
  void child_failed(const runtime::BranchProgress& child, const boost::json::value& error_output) override;
  /// A Distributed Map's child is an execution of its own in the store (keys x/, n/, e/ and
  /// the k/ link to this one), written in this execution's batches.
  std::int64_t child_started(const runtime::ChildExecution& child) override;
  void child_record(const runtime::ChildExecution& child, runtime::HistoryEvent event) override;
  void child_ended(const runtime::ChildExecution& child, runtime::ExecutionStatus status,
                   const boost::json::value& result) override;
  /// Keeps the Map Run's record (keys::map_run) up to date in this execution's batches.
  void map_run_changed(const runtime::MapRunReport& report) override;

  /// Writes `record` (a new execution, a status change) with the pending events. Once
  /// SUCCEEDED nothing can run again, so the checkpoints go.
  void write_record(const ExecutionRecord& record);
  /// Writes everything pending.
  void flush();
  /// Keeps one line a task wrote to its log.
  void log(std::string_view state, std::string_view line);

  const std::string& id() const { return id_; }

  /// The store holds no checkpoint or finished output of this execution yet (a new
  /// execution): the sink then knows every such key and deletes them one by one instead of
  /// by range. RocksDB (7.x) fragments every range tombstone of a memtable on each read of
  /// it, so a range deletion per transition made every later read slower.
  void starts_empty() { keys_known_ = true; }

 private:
  /// Puts the pending checkpoints into the batch (before a range deletion or a write).
  void put_checkpoints();
  /// Deletes the checkpoints and finished outputs of branch `path` and of the branches
  /// below it ("" for all of them).
  void erase_branches(std::string_view path);
  /// A checkpoint or finished output of branch `path` went into the batch.
  void stored(const std::string& path);

  store::Store& store_;
  std::string id_;
  std::size_t max_grouped_;
  store::WriteBatch batch_;
  /// The events recorded since the last write, one page (keys.hpp), from `page_first_` on.
  std::string page_;
  std::int64_t page_first_ = 0;
  /// The latest checkpoint of each branch that moved since the last write, by branch path
  /// (few: the branches running at once).
  std::vector<std::pair<std::string, std::string>> checkpoints_;
  /// With keys_known_: the branch paths whose checkpoint or finished output may be stored.
  bool keys_known_ = false;
  std::set<std::string, std::less<>> stored_paths_;
  std::size_t grouped_ = 0;
  store::WriteBatch log_batch_;
  std::uint64_t next_log_ = 0;
  /// The running child executions, by name: their records and their events since the
  /// last write.
  struct Child {
    ExecutionRecord record;
    std::string page;
    std::int64_t page_first = 0;
  };
  const ExecutionRecord* owner_ = nullptr;
  std::map<std::string, Child, std::less<>> children_;
  /// The records of the Map Runs reported so far, by ARN.
  std::map<std::string, MapRunRecord, std::less<>> map_runs_;
};

}  // namespace flowstate::durable
