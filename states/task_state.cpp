#include "states/task_state.hpp"

#include <fmt/format.h>

#include "engine/asl/limits.hpp"

namespace flowstate::states {

namespace {

std::optional<data::JsonPath> reference_path(definition::FieldReader& reader,
                                             std::string_view field) {
  auto text = reader.string(field);
  if (!text) return std::nullopt;
  auto path = data::JsonPath::compile(*text);
  if (!path || !path->is_definite()) {
    reader.error_at_field(field, fmt::format("'{}' must be a reference path such as '$.timeout', "
                                             "not '{}'",
                                             field, *text));
    return std::nullopt;
  }
  return std::move(*path);
}

}  // namespace

std::optional<TaskState> compile_task_state(definition::FieldReader& reader) {
  TaskState state;
  if (const auto* resource = reader.field("Resource", definition::Presence::required)) {
    if (!resource->is_string() || resource->get_string().empty()) {
      reader.error_at(*resource, "'Resource' must be a non-empty URI string");
    } else {
      state.resource = std::string(resource->get_string());
      state.resource_location = reader.document().location_of(*resource);
    }
  }
  constexpr std::int64_t kMaxSeconds = 99999999;
  state.timeout_seconds = reader.integer("TimeoutSeconds", 1, kMaxSeconds);
  state.timeout_seconds_path = reference_path(reader, "TimeoutSecondsPath");
  state.heartbeat_seconds = reader.integer("HeartbeatSeconds", 1, kMaxSeconds);
  state.heartbeat_seconds_path = reference_path(reader, "HeartbeatSecondsPath");
  if (reader.has("TimeoutSeconds") && reader.has("TimeoutSecondsPath"))
    reader.error_at_field("TimeoutSecondsPath",
                          "'TimeoutSeconds' and 'TimeoutSecondsPath' exclude each other; keep one");
  if (reader.has("HeartbeatSeconds") && reader.has("HeartbeatSecondsPath"))
    reader.error_at_field("HeartbeatSecondsPath",
                          "'HeartbeatSeconds' and 'HeartbeatSecondsPath' exclude each other; keep "
                          "one");
  if (state.timeout_seconds && state.heartbeat_seconds &&
      *state.heartbeat_seconds >= *state.timeout_seconds)
    reader.error_at_field("HeartbeatSeconds", "'HeartbeatSeconds' must be smaller than "
                                              "'TimeoutSeconds'");
  reader.allow({"Credentials"});
  return state;
}

}  // namespace flowstate::states
