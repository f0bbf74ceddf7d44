#include "engine/durable/store_event_sink.hpp"

#include <algorithm>
#include <chrono>

#include <boost/json/object.hpp>

#include "engine/data/digest.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/store_keys.hpp"
#include "engine/runtime/checkpoint.hpp"

namespace flowstate::durable {

namespace json = boost::json;

StoreEventSink::StoreEventSink(store::Store& store, std::string id, std::size_t max_grouped,
                               const ExecutionRecord* owner)
    : store_(store), id_(std::move(id)), max_grouped_(max_grouped ? max_grouped : 1), owner_(owner) {
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
  for (const auto& [path, checkpoint] : checkpoints_) {
    batch_.put(keys::checkpoint(id_, path), checkpoint);
    stored(path);
  }
  checkpoints_.clear();
  for (auto& [name, child] : children_) {
    if (child.page.empty()) continue;
    batch_.put(keys::event(child.record.id, child.page_first), child.page);
    child.page.clear();
  }
}

void StoreEventSink::stored(const std::string& path) {
  if (keys_known_) stored_paths_.insert(path);
}

void StoreEventSink::erase_branches(std::string_view path) {
  if (!keys_known_) {
    batch_.erase_prefix(keys::checkpoint(id_, path));
    batch_.erase_prefix(keys::finished(id_, path));
    return;
  }
  // Branch paths are 4 bytes a level, so the branches below `path` are the paths it prefixes.
  for (auto it = stored_paths_.lower_bound(path); it != stored_paths_.end() && it->starts_with(path);) {
    batch_.erase(keys::checkpoint(id_, *it));
    batch_.erase(keys::finished(id_, *it));
    it = stored_paths_.erase(it);
  }
}

void StoreEventSink::flush() {
  put_checkpoints();
  grouped_ = 0;
  if (!batch_.empty()) store_.write(batch_);
}

void StoreEventSink::moved(const runtime::BranchProgress& branch, runtime::BranchMove move,
                           runtime::Commit commit) {
  std::string path = runtime::branch_path(branch);
  if (move != runtime::BranchMove::advanced) {
    // The state's children (and theirs) and their outputs are gone; the branch's own
    // checkpoint, put after the range deletion, stays.
    put_checkpoints();
    erase_branches(path);
    std::string checkpoint;
    runtime::append_checkpoint_json(checkpoint, branch);
    batch_.put(keys::checkpoint(id_, path), checkpoint);
    stored(path);
  } else {
    // Written over the branch's pending checkpoint, reusing its buffer.
    auto same = std::find_if(checkpoints_.begin(), checkpoints_.end(),
                             [&](const auto& entry) { return entry.first == path; });
    if (same == checkpoints_.end()) same = checkpoints_.insert(checkpoints_.end(), {std::move(path), {}});
    same->second.clear();
    runtime::append_checkpoint_json(same->second, branch);
  }
  if (commit == runtime::Commit::now || ++grouped_ >= max_grouped_) flush();
}

void StoreEventSink::child_finished(const runtime::BranchProgress& child, const json::value& output) {
  std::string path = runtime::branch_path(child);
  // The child's own checkpoint goes; its descendants went when its states left them.
  std::erase_if(checkpoints_, [&](const auto& entry) { return entry.first == path; });
  batch_.erase(keys::checkpoint(id_, path));
  batch_.put(keys::finished(id_, path), data::serialize_json(output));
  stored(path);
  if (++grouped_ >= max_grouped_) flush();
}

void StoreEventSink::child_failed(const runtime::BranchProgress& child, const json::value& error_output) {
  // The child's checkpoint (pending or written) stays beside its error output.
  std::string path = runtime::branch_path(child);
  batch_.put(keys::finished(id_, path), data::serialize_json(error_output));
  stored(path);
  if (++grouped_ >= max_grouped_) flush();
}

std::int64_t StoreEventSink::child_started(const runtime::ChildExecution& child) {
  if (!owner_) return 0;
  // The child's id: 16 hex digits named by its parent and its own (name-based) name, so a
  // resume or redrive finds the record it had.
  std::string id = data::hex_digest(data::DigestAlgorithm::sha256, id_ + "/" + child.name).substr(0, 16);
  Child entry;
  std::int64_t last = 0;
  bool known = false;
  if ((child.resumed || child.restarted) && !store_.deferred()) {
    ExecutionCatalog catalog(store_);
    if (auto found = catalog.find(id)) {
      if (child.resumed) {
        entry.record = std::move(*found);
        last = catalog.last_event_id(id);
        known = true;
      } else {
        // Recorded in part before a crash, with no checkpoint: it starts again from nothing.
        batch_.erase_prefix(keys::events_prefix(id));
      }
    }
  }
  ExecutionRecord& record = entry.record;
  if (!known) {
    record.id = id;
    record.name = child.name;
    record.machine = child.state_machine;
    record.definition = owner_->definition;
    record.file = owner_->file;
    record.input = *child.input;
    record.start = child.start;
    record.parent = id_;
    record.invocation = child.name;
    record.map_run = child.map_run_arn;
    batch_.put(keys::name(record.name), record.id);
    batch_.put(keys::child(id_, 0, record.invocation), record.id);
  }
  record.status = runtime::ExecutionStatus::running;
  record.output.reset();
  record.error.reset();
  record.cause.reset();
  record.stop.reset();
  if (child.redriven) {
    record.redrive_count += 1;
    record.redrive_date = child.start;
  }
  batch_.put(keys::execution(record.id), data::serialize_json(to_json(record)));
  children_[child.name] = std::move(entry);
  return last;
}

void StoreEventSink::child_record(const runtime::ChildExecution& child, runtime::HistoryEvent event) {
  auto found = children_.find(child.name);
  if (found == children_.end()) return;
  Child& entry = found->second;
  if (entry.page.empty()) entry.page_first = event.id;
  else entry.page.push_back('\n');
  runtime::append_event_json(entry.page, event);
}

void StoreEventSink::child_ended(const runtime::ChildExecution& child, runtime::ExecutionStatus status,
                                 const json::value& result) {
  auto found = children_.find(child.name);
  if (found == children_.end()) return;
  Child& entry = found->second;
  ExecutionRecord& record = entry.record;
  record.status = status;
  if (status == runtime::ExecutionStatus::succeeded) record.output = result;
  if (const json::object* failure = result.if_object(); failure && status != runtime::ExecutionStatus::succeeded) {
    if (const json::value* error = failure->if_contains("Error"); error && error->is_string())
      record.error = std::string(error->get_string());
    if (const json::value* cause = failure->if_contains("Cause"); cause && cause->is_string())
      record.cause = std::string(cause->get_string());
  }
  record.stop = std::chrono::system_clock::now();
  if (!entry.page.empty()) batch_.put(keys::event(record.id, entry.page_first), entry.page);
  batch_.put(keys::execution(record.id), data::serialize_json(to_json(record)));
  children_.erase(found);
}

void StoreEventSink::map_run_changed(const runtime::MapRunReport& report) {
  auto found = map_runs_.find(report.map_run_arn);
  if (found == map_runs_.end()) {
    MapRunRecord record;
    // A resumed or redriven Map Run keeps its start date and redrive count.
    if (!store_.deferred())
      if (auto stored = ExecutionCatalog(store_).map_run(report.map_run_arn)) record = std::move(*stored);
    record.owner = id_;
    found = map_runs_.emplace(report.map_run_arn, std::move(record)).first;
  }
  found->second.apply(report);
  batch_.put(keys::map_run(report.map_run_arn), data::serialize_json(to_json(found->second)));
}

void StoreEventSink::write_record(const ExecutionRecord& record) {
  put_checkpoints();
  if (record.status == runtime::ExecutionStatus::succeeded) erase_branches("");
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
