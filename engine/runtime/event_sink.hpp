// EventSink: where an execution's history goes (the store, an in-memory list in tests).
// The runtime builds event details only when a sink is attached.
#pragma once

#include <vector>

#include "engine/runtime/history.hpp"

namespace flowstate::runtime {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void record(HistoryEvent event) = 0;
};

/// Keeps every event in memory, in order.
class MemoryEventSink final : public EventSink {
 public:
  void record(HistoryEvent event) override { events_.push_back(std::move(event)); }
  const std::vector<HistoryEvent>& events() const { return events_; }

 private:
  std::vector<HistoryEvent> events_;
};

}  // namespace flowstate::runtime
