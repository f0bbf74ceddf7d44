// StoreEventSink: an execution's EventSink on the store. Events wait in one WriteBatch until
// the branch that recorded them moves; the batch then gets that branch's checkpoint and is
// written atomically (one batch per transition). Task log lines go in batches of their own,
// so they never carry a transition's events without its checkpoint.
#pragma once

#include <cstdint>
#include <string>

#include "engine/durable/execution_record.hpp"
#include "engine/runtime/event_sink.hpp"
#include "engine/store/store.hpp"

namespace flowstate::durable {

class StoreEventSink final : public runtime::EventSink {
 public:
  /// Continues after the events, checkpoints and log lines the execution already has.
  StoreEventSink(store::Store& store, std::string id);

  void record(runtime::HistoryEvent event) override;
  void moved(const runtime::BranchProgress& branch, runtime::BranchMove move) override;
  void child_finished(const runtime::BranchProgress& child, const boost::json::value& output) override;

  /// Writes `record` (a new execution, a status change) with the pending events. Once
  /// SUCCEEDED nothing can run again, so the checkpoints go.
  void write_record(const ExecutionRecord& record);
  /// The pending batch, for changes that must land with the pending events (a child's
  /// link); flush() writes it.
  store::WriteBatch& pending() { return batch_; }
  void flush() { store_.write(batch_); }
  /// Keeps one line a task wrote to its log.
  void log(std::string_view state, std::string_view line);

  const std::string& id() const { return id_; }

 private:
  store::Store& store_;
  std::string id_;
  store::WriteBatch batch_;
  store::WriteBatch log_batch_;
  std::uint64_t next_log_ = 0;
};

}  // namespace flowstate::durable
