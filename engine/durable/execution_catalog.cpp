#include "engine/durable/execution_catalog.hpp"

#include <algorithm>

#include "engine/data/json_codec.hpp"
#include "engine/durable/store_keys.hpp"

namespace flowstate::durable {

namespace json = boost::json;

namespace {

std::optional<json::value> parsed(std::string_view text) {
  auto value = data::parse_json(text);
  if (!value) return std::nullopt;
  return std::move(*value);
}

std::optional<ExecutionRecord> record_from(std::string_view text) {
  auto value = parsed(text);
  return value ? execution_record_from_json(*value) : std::nullopt;
}

}  // namespace

std::optional<ExecutionRecord> ExecutionCatalog::find(std::string_view id_or_name) const {
  if (auto text = store_.get(keys::execution(id_or_name))) return record_from(*text);
  if (auto id = store_.get(keys::name(id_or_name)))
    if (auto text = store_.get(keys::execution(*id))) return record_from(*text);
  return std::nullopt;
}

std::vector<ExecutionRecord> ExecutionCatalog::list(std::optional<runtime::ExecutionStatus> status) const {
  std::vector<ExecutionRecord> records;
  store_.scan(keys::execution_prefix(), [&](std::string_view, std::string_view value) {
    if (auto record = record_from(value); record && (!status || record->status == *status))
      records.push_back(std::move(*record));
    return true;
  });
  std::stable_sort(records.begin(), records.end(),
                   [](const ExecutionRecord& a, const ExecutionRecord& b) { return a.start < b.start; });
  return records;
}

void ExecutionCatalog::events(std::string_view id,
                              const std::function<bool(const json::value&)>& visit) const {
  store_.scan(keys::events_prefix(id), [&](std::string_view, std::string_view page) {
    while (!page.empty()) {
      std::size_t end = std::min(page.find('\n'), page.size());
      if (auto event = parsed(page.substr(0, end)); event && !visit(*event)) return false;
      page.remove_prefix(std::min(end + 1, page.size()));
    }
    return true;
  });
}

void ExecutionCatalog::events(std::string_view id, EventCursor& cursor,
                              const std::function<void(const json::value&)>& visit) const {
  store_.scan(
      keys::events_prefix(id),
      [&](std::string_view key, std::string_view page) {
        // A page holds consecutive events from the id in its key on, one per line.
        std::int64_t event_id = keys::event_id_of(key);
        cursor.page = event_id;
        for (; !page.empty(); ++event_id) {
          std::size_t end = std::min(page.find('\n'), page.size());
          if (event_id > cursor.last) {
            cursor.last = event_id;
            if (auto event = parsed(page.substr(0, end))) visit(*event);
          }
          page.remove_prefix(std::min(end + 1, page.size()));
        }
        return true;
      },
      cursor.page > 0 ? keys::event(id, cursor.page) : std::string());
}

std::int64_t ExecutionCatalog::last_event_id(std::string_view id) const {
  auto last = store_.last_with_prefix(keys::events_prefix(id));
  if (!last) return 0;
  // A page holds consecutive events from the id in its key on, one per line.
  auto lines = static_cast<std::int64_t>(std::count(last->second.begin(), last->second.end(), '\n'));
  return keys::event_id_of(last->first) + lines;
}

std::uint64_t ExecutionCatalog::logs(std::string_view id, const std::function<void(const json::value&)>& visit,
                                     std::uint64_t from) const {
  std::uint64_t next = from;
  store_.scan(
      keys::logs_prefix(id),
      [&](std::string_view key, std::string_view value) {
        next = keys::sequence_of(key) + 1;
        if (auto line = parsed(value)) visit(*line);
        return true;
      },
      from > 0 ? keys::log_line(id, from) : std::string());
  return next;
}

std::uint64_t ExecutionCatalog::log_end(std::string_view id) const {
  auto last = store_.last_with_prefix(keys::logs_prefix(id));
  return last ? keys::sequence_of(last->first) + 1 : 0;
}

std::optional<DefinitionSource> ExecutionCatalog::definition(std::string_view hash) const {
  auto text = store_.get(keys::definition(hash));
  if (!text) return std::nullopt;
  auto value = parsed(*text);
  if (!value || !value->is_object()) return std::nullopt;
  const json::object& object = value->get_object();
  const json::value* file = object.if_contains("file");
  const json::value* source = object.if_contains("text");
  if (!file || !file->is_string() || !source || !source->is_string()) return std::nullopt;
  return DefinitionSource{std::string(file->get_string()), std::string(source->get_string())};
}

std::optional<std::string> ExecutionCatalog::child(std::string_view parent, std::int64_t redrive_count,
                                                   std::string_view invocation) const {
  return store_.get(keys::child(parent, redrive_count, invocation));
}

std::vector<ExecutionRecord> ExecutionCatalog::children(std::string_view parent) const {
  std::vector<ExecutionRecord> records;
  store_.scan(keys::children_prefix(parent), [&](std::string_view, std::string_view id) {
    if (auto text = store_.get(keys::execution(id)))
      if (auto record = record_from(*text)) records.push_back(std::move(*record));
    return true;
  });
  return records;
}

std::optional<MapRunRecord> ExecutionCatalog::map_run(std::string_view arn) const {
  auto text = store_.get(keys::map_run(arn));
  if (!text) return std::nullopt;
  auto value = parsed(*text);
  return value ? map_run_record_from_json(*value) : std::nullopt;
}

std::vector<ExecutionRecord> ExecutionCatalog::map_run_children(const MapRunRecord& map_run) const {
  auto records = children(map_run.owner);
  std::erase_if(records, [&](const ExecutionRecord& child) { return child.map_run != map_run.map_run_arn; });
  return records;
}

namespace {

// The JSON values under `prefix` (keys::checkpoints_prefix or keys::finished_prefix of
// execution `id`), by branch path.
std::map<std::string, json::value> by_branch(const store::Store& store, const std::string& prefix,
                                             std::string_view id) {
  std::map<std::string, json::value> out;
  store.scan(prefix, [&](std::string_view key, std::string_view value) {
    if (auto entry = parsed(value)) out.emplace(keys::branch_path_of(key, id), std::move(*entry));
    return true;
  });
  return out;
}

}  // namespace

std::map<std::string, json::value> ExecutionCatalog::checkpoints(std::string_view id) const {
  return by_branch(store_, keys::checkpoints_prefix(id), id);
}

std::map<std::string, json::value> ExecutionCatalog::finished(std::string_view id) const {
  return by_branch(store_, keys::finished_prefix(id), id);
}

}  // namespace flowstate::durable
