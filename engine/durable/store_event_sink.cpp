#include "engine/durable/store_event_sink.hpp"

#include <algorithm>
#include <chrono>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/store_keys.hpp"
#include "engine/runtime/checkpoint.hpp"

namespace flowstate::durable {

namespace json = boost::json;

StoreEventSink::StoreEventSink(store::Store& store, std::string id, std::size_t max_grouped)
    : store_(store), id_(std::move(id)), max_grouped_(max_grouped ? max_grouped : 1) {
  // A deferred store has read nothing, so the execution is new and has no log lines yet.
  if (store_.deferred()) return;
  if (auto last = store_.last_with_prefix(keys::logs_prefix(id_)))
    next_log_ = keys::sequence_of(last->first) + 1;
}

void StoreEventSink::record(runtime::HistoryEvent event) {
  if (page_.empty()) page_first_ = event.id;
  else page_.push_back('\n');
  runtime::append_event_json(page_, event);
}

void StoreEventSink::put_checkpoints() {
  if (!page_.empty()) {
    batch_.put(keys::event(id_, page_first_), page_);
    page_.clear();
  }
  for (const auto& [path, checkpoint] : checkpoints_) batch_.put(keys::checkpoint(id_, path), checkpoint);
  checkpoints_.clear();
}

void StoreEventSink::flush() {
  put_checkpoints();
  grouped_ = 0;
  if (!batch_.empty()) store_.write(batch_);
}

void StoreEventSink::moved(const runtime::BranchProgress& branch, runtime::BranchMove move,
                           runtime::Commit commit) {
  std::string path = runtime::branch_path(branch);
  std::string checkpoint = data::serialize_json(runtime::checkpoint_json(branch));
  if (move != runtime::BranchMove::advanced) {
    // The state's children (and theirs) and their outputs are gone; the branch's own
    // checkpoint, put after the range deletion, stays.
    put_checkpoints();
    batch_.erase_prefix(keys::checkpoint(id_, path));
    batch_.erase_prefix(keys::finished(id_, path));
    batch_.put(keys::checkpoint(id_, path), checkpoint);
  } else {
    auto same = std::find_if(checkpoints_.begin(), checkpoints_.end(),
                             [&](const auto& entry) { return entry.first == path; });
    if (same != checkpoints_.end()) same->second = std::move(checkpoint);
    else checkpoints_.emplace_back(std::move(path), std::move(checkpoint));
  }
  if (commit == runtime::Commit::now || ++grouped_ >= max_grouped_) flush();
}

void StoreEventSink::child_finished(const runtime::BranchProgress& child, const json::value& output) {
  std::string path = runtime::branch_path(child);
  // The child's own checkpoint goes; its descendants went when its states left them.
  std::erase_if(checkpoints_, [&](const auto& entry) { return entry.first == path; });
  batch_.erase(keys::checkpoint(id_, path));
  batch_.put(keys::finished(id_, path), data::serialize_json(output));
  if (++grouped_ >= max_grouped_) flush();
}

void StoreEventSink::child_failed(const runtime::BranchProgress& child, const json::value& error_output) {
  // The child's checkpoint (pending or written) stays beside its error output.
  batch_.put(keys::finished(id_, runtime::branch_path(child)), data::serialize_json(error_output));
  if (++grouped_ >= max_grouped_) flush();
}

void StoreEventSink::write_record(const ExecutionRecord& record) {
  put_checkpoints();
  if (record.status == runtime::ExecutionStatus::succeeded) {
    batch_.erase_prefix(keys::checkpoints_prefix(id_));
    batch_.erase_prefix(keys::finished_prefix(id_));
  }
  batch_.put(keys::execution(id_), data::serialize_json(to_json(record)));
  flush();
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
