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

bool is_activity_arn(std::string_view arn) {
  // arn : PARTITION : states : REGION : ACCOUNT : activity : NAME
  std::string_view parts[7];
  for (std::size_t i = 0; i < 7; ++i) {
    std::size_t colon = i == 6 ? std::string_view::npos : arn.find(':');
    if (i < 6 && colon == std::string_view::npos) return false;
    parts[i] = arn.substr(0, colon);
    if (parts[i].empty()) return false;
    arn = i == 6 ? std::string_view() : arn.substr(colon + 1);
  }
  return parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" &&
         parts[6].find(':') == std::string_view::npos;
}

std::optional<TaskState> compile_task_state(definition::FieldReader& reader,
                                           QueryLanguage language) {
  TaskState state;
  if (const auto* resource = reader.field("Resource", definition::Presence::required)) {
    if (!resource->is_string() || resource->get_string().empty()) {
      std::string_view kind = resource->is_string() ? "an empty string"
                                                    : definition::describe_kind(*resource);
      reader.error_at(*resource, fmt::format("'Resource' must be a non-empty URI string such as "
                                             "\"arn:flowstate:::command\", not {}",
                                             kind));
    } else {
      state.resource = std::string(resource->get_string());
      state.waits_for_callback = state.resource.ends_with(kWaitForTaskToken);
      state.integration = state.resource.substr(
          0, state.resource.size() - (state.waits_for_callback ? kWaitForTaskToken.size() : 0));
      state.activity = !state.waits_for_callback && is_activity_arn(state.resource);
      state.resource_location = reader.document().location_of(*resource);
    }
  }
  constexpr std::int64_t kMaxSeconds = 99999999;
  if (language == QueryLanguage::jsonata) {
    // JSONata: the values may be {% %} expressions; the *Path forms do not exist.
    state.jsonata_timeout = compile_integer_field(reader, "TimeoutSeconds", 1, kMaxSeconds);
    state.jsonata_heartbeat = compile_integer_field(reader, "HeartbeatSeconds", 1, kMaxSeconds);
    state.timeout_seconds = state.jsonata_timeout.value;
    state.heartbeat_seconds = state.jsonata_heartbeat.value;
    reject_for_language(reader, "TimeoutSecondsPath", language);
    reject_for_language(reader, "HeartbeatSecondsPath", language);
    if (const auto* credentials = reader.field("Credentials"))
      check_jsonata_value(reader, *credentials, "Credentials");
  } else {
    state.timeout_seconds = reader.integer("TimeoutSeconds", 1, kMaxSeconds);
    state.timeout_seconds_path = reference_path(reader, "TimeoutSecondsPath");
    state.heartbeat_seconds = reader.integer("HeartbeatSeconds", 1, kMaxSeconds);
    state.heartbeat_seconds_path = reference_path(reader, "HeartbeatSecondsPath");
  }
  if (const auto* credentials = reader.field("Credentials"); credentials &&
                                                               !credentials->is_object())
    reader.error_at(*credentials, fmt::format("'Credentials' must be an object such as "
                                              "{{\"RoleArn\": \"...\"}}, not {}",
                                              definition::describe_kind(*credentials)));
  if (reader.has("TimeoutSeconds") && reader.has("TimeoutSecondsPath"))
    reader.error_at_field("TimeoutSecondsPath",
                          "'TimeoutSeconds' and 'TimeoutSecondsPath' exclude each other; keep one");
  if (reader.has("HeartbeatSeconds") && reader.has("HeartbeatSecondsPath"))
    reader.error_at_field("HeartbeatSecondsPath",
                          "'HeartbeatSeconds' and 'HeartbeatSecondsPath' exclude each other; keep "
                          "one");
  if (state.timeout_seconds && state.heartbeat_seconds &&
      *state.heartbeat_seconds >= *state.timeout_seconds)
    reader.error_at_field("HeartbeatSeconds",
                          fmt::format("'HeartbeatSeconds' ({}) must be smaller than "
                                      "'TimeoutSeconds' ({})",
                                      *state.heartbeat_seconds, *state.timeout_seconds));
  return state;
}

}  // namespace flowstate::states
