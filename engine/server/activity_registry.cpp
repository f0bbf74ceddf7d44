#include "engine/server/activity_registry.hpp"

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/store_keys.hpp"

namespace flowstate::server {

namespace json = boost::json;

namespace {

std::optional<Activity> from_json(std::string_view text) {
  auto value = data::parse_json(text);
  if (!value || !value->is_object()) return std::nullopt;
  const json::object& object = value->get_object();
  const json::value* name = object.if_contains("name");
  if (!name || !name->is_string()) return std::nullopt;
  Activity activity;
  activity.name = std::string(name->get_string());
  if (const json::value* created = object.if_contains("creationDate"); created && created->is_int64())
    activity.creation_date = data::from_epoch_milliseconds(created->get_int64());
  return activity;
}

}  // namespace

std::string Activity::arn() const { return durable::activity_arn(name); }

std::optional<Activity> ActivityRegistry::find(std::string_view name) const {
  auto value = store_.get(durable::keys::activity(name));
  if (!value) return std::nullopt;
  return from_json(*value);
}

std::optional<Activity> ActivityRegistry::find_arn(std::string_view arn) const {
  auto colon = arn.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto activity = find(arn.substr(colon + 1));
  if (!activity || activity->arn() != arn) return std::nullopt;
  return activity;
}

std::vector<Activity> ActivityRegistry::list() const {
  std::vector<Activity> activities;
  store_.scan(durable::keys::activity_prefix(), [&](std::string_view, std::string_view value) {
    if (auto activity = from_json(value)) activities.push_back(std::move(*activity));
    return true;
  });
  return activities;
}

void ActivityRegistry::put(const Activity& activity) {
  json::object object{{"name", activity.name},
                      {"creationDate", data::epoch_milliseconds(activity.creation_date)}};
  store::WriteBatch batch;
  batch.put(durable::keys::activity(activity.name), data::serialize_json(object));
  store_.write(batch);
}

void ActivityRegistry::erase(std::string_view name) {
  store::WriteBatch batch;
  batch.erase(durable::keys::activity(name));
  store_.write(batch);
}

}  // namespace flowstate::server
