#include "engine/durable/store_event_sink.hpp"

#include <chrono>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/store_keys.hpp"
#include "engine/runtime/checkpoint.hpp"

namespace flowstate::durable {

namespace json = boost::json;

StoreEventSink::StoreEventSink(store::Store& store, std::string id)
    : store_(store), id_(std::move(id)) {
  if (auto last = store_.last_with_prefix(keys::logs_prefix(id_)))
    next_log_ = keys::sequence_of(last->first) + 1;
}

void StoreEventSink::record(runtime::HistoryEvent event) {
  batch_.put(keys::event(id_, event.id), data::serialize_json(runtime::to_json(event)));
}

void StoreEventSink::moved(const runtime::BranchProgress& branch, runtime::BranchMove move) {
  std::string path = runtime::branch_path(branch);
  if (move != runtime::BranchMove::advanced) {
    // The state's children (and theirs) and their outputs are gone; the branch's own
    // checkpoint, put after the range deletion, stays.
    batch_.erase_prefix(keys::checkpoint(id_, path));
    batch_.erase_prefix(keys::finished(id_, path));
  }
  batch_.put(keys::checkpoint(id_, path), data::serialize_json(runtime::checkpoint_json(branch)));
  store_.write(batch_);
}

void StoreEventSink::child_finished(const runtime::BranchProgress& child, const json::value& output) {
  std::string path = runtime::branch_path(child);
  batch_.erase(keys::checkpoint(id_, path));
  batch_.put(keys::finished(id_, path), data::serialize_json(output));
  store_.write(batch_);
}

void StoreEventSink::write_record(const ExecutionRecord& record) {
  if (record.status == runtime::ExecutionStatus::succeeded) {
    batch_.erase_prefix(keys::checkpoints_prefix(id_));
    batch_.erase_prefix(keys::finished_prefix(id_));
  }
  batch_.put(keys::execution(id_), data::serialize_json(to_json(record)));
  store_.write(batch_);
}

void StoreEventSink::log(std::string_view state, std::string_view line) {
  json::object entry;
  entry["state"] = state;
  entry["timestamp"] = data::format_timestamp(std::chrono::floor<std::chrono::milliseconds>(
      std::chrono::system_clock::now()));
  entry["line"] = line;
  log_batch_.put(keys::log_line(id_, next_log_++), data::serialize_json(entry));
  store_.write(log_batch_);
}

}  // namespace flowstate::durable
