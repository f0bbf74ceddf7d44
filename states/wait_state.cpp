#include "states/wait_state.hpp"

#include <cmath>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::states {

namespace {

asl::Failure runtime(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kRuntime), std::move(cause));
}

std::string describe(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  return data::serialize_json(value);
}

}  // namespace

boost::system::result<std::chrono::system_clock::time_point, asl::Failure> WaitState::until(
    const data::PathScope& scope, std::chrono::system_clock::time_point entered) const {
  using std::chrono::seconds;
  using std::chrono::system_clock;
  if (const auto* fixed = std::get_if<Seconds>(&delay)) return entered + seconds(fixed->seconds);
  if (const auto* fixed = std::get_if<Timestamp>(&delay))
    return system_clock::time_point(fixed->timestamp.truncated_to_seconds().time_since_epoch());
  if (const auto* by_path = std::get_if<SecondsPath>(&delay)) {
    const boost::json::value* value = by_path->path.find(scope);
    if (!value)
      return runtime(fmt::format("The SecondsPath parameter does not reference an input value: {}",
                                 by_path->path.text()));
    std::optional<std::int64_t> n;
    if (value->is_int64()) n = value->get_int64();
    else if (value->is_uint64()) n = static_cast<std::int64_t>(value->get_uint64());
    if (!n)
      return runtime(fmt::format("The SecondsPath parameter cannot be parsed as a long value: "
                                 "{} == {}",
                                 by_path->path.text(), describe(*value)));
    if (*n < 0)
      return runtime(fmt::format("The SecondsPath parameter references a negative value: {} == {}",
                                 by_path->path.text(), *n));
    return entered + seconds(*n);
  }
  const auto& by_path = std::get<TimestampPath>(delay);
  const boost::json::value* value = by_path.path.find(scope);
  if (!value)
    return runtime(fmt::format("The TimestampPath parameter does not reference an input value: {}",
                               by_path.path.text()));
  std::optional<data::Timestamp> timestamp;
  if (value->is_string()) timestamp = data::Timestamp::parse(value->get_string());
  if (!timestamp)
    return runtime(fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 "
                               "extended offset date-time format string: {} == {}",
                               by_path.path.text(), describe(*value)));
  return system_clock::time_point(timestamp->truncated_to_seconds().time_since_epoch());
}

std::optional<WaitState> compile_wait_state(definition::FieldReader& reader) {
  WaitState state;
  int given = 0;
  if (auto seconds = reader.integer("Seconds", 0, 99999999)) {
    state.delay = WaitState::Seconds{*seconds};
  }
  given += reader.has("Seconds");
  if (auto text = reader.string("Timestamp")) {
    if (auto timestamp = data::Timestamp::parse(*text))
      state.delay = WaitState::Timestamp{*timestamp};
    else
      reader.error_at_field("Timestamp", fmt::format("'Timestamp' must be an RFC 3339 timestamp "
                                                     "such as \"2016-03-14T01:59:00Z\", not \"{}\"",
                                                     *text));
  }
  given += reader.has("Timestamp");
  for (std::string_view field : {"SecondsPath", "TimestampPath"}) {
    auto text = reader.string(field);
    given += reader.has(field);
    if (!text) continue;
    auto path = data::JsonPath::compile(*text);
    if (!path || !path->is_definite()) {
      reader.error_at_field(field, fmt::format("'{}' must be a reference path such as '$.delay', "
                                               "not '{}'",
                                               field, *text));
      continue;
    }
    if (field == "SecondsPath") state.delay = WaitState::SecondsPath{std::move(*path)};
    else state.delay = WaitState::TimestampPath{std::move(*path)};
  }
  if (given != 1)
    reader.error(fmt::format("{} needs exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or "
                             "'TimestampPath' ({} given)",
                             reader.owner(), given));
  return state;
}

}  // namespace flowstate::states
