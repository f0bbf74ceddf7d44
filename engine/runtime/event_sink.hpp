// EventSink: where an execution's history goes (the store, an in-memory list in tests), one
// event at a time, each with the execution's progress at that moment, so that a durable sink
// writes the event and a snapshot (progress.hpp) of where to resume in one batch. The
// runtime builds event details only when a sink is attached.
#pragma once

#include <vector>

#include "engine/runtime/history.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

class EventSink {
 public:
  virtual ~EventSink() = default;
  /// `progress` is the top-level branch, valid for the duration of the call.
  virtual void record(HistoryEvent event, const BranchProgress& progress) = 0;
};

/// Keeps every event in memory, in order.
class MemoryEventSink final : public EventSink {
 public:
  void record(HistoryEvent event, const BranchProgress&) override {
    events_.push_back(std::move(event));
  }
  const std::vector<HistoryEvent>& events() const { return events_; }

 private:
  std::vector<HistoryEvent> events_;
};

}  // namespace flowstate::runtime
