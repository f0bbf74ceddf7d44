#include "states/wait_state.hpp"

#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "states/path_fields.hpp"

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
    const data::PathScope& scope, std::chrono::system_clock::time_point entered,
    const JsonataScope* jsonata) const {
  using std::chrono::seconds;
  using std::chrono::system_clock;
  auto query_error = [](std::string cause) {
    return asl::Failure(std::string(asl::error_name::kQueryEvaluationError), std::move(cause));
  };
  if (const auto* by_expression = std::get_if<SecondsExpression>(&delay)) {
    auto value = by_expression->expression.evaluate(*jsonata);
    if (!value) return value.error();
    std::optional<std::int64_t> n;
    if (value->is_int64()) n = value->get_int64();
    else if (value->is_uint64()) n = static_cast<std::int64_t>(value->get_uint64());
    if (!n || *n < 0 || *n > 99999999)
      return query_error(fmt::format("The Seconds field must be an integer from 0 to 99999999, not {}",
                                     data::serialize_json(*value)));
    return entered + seconds(*n);
  }
  if (const auto* by_expression = std::get_if<TimestampExpression>(&delay)) {
    auto value = by_expression->expression.evaluate(*jsonata);
    if (!value) return value.error();
    std::optional<data::Timestamp> timestamp;
    if (value->is_string()) timestamp = data::Timestamp::parse(value->get_string());
    if (!timestamp)
      return query_error(fmt::format("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                     "date-time format string: {}",
                                     value->is_string() ? std::string(value->get_string())
                                                        : data::serialize_json(*value)));
    return system_clock::time_point(timestamp->truncated_to_seconds().time_since_epoch());
  }
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

std::optional<WaitState> compile_wait_state(definition::FieldReader& reader,
                                           QueryLanguage language) {
  WaitState state;
  bool jsonata = language == QueryLanguage::jsonata;
  const boost::json::value* seconds_node = reader.field("Seconds");
  if (jsonata && seconds_node && seconds_node->is_string() &&
      is_jsonata_expression(seconds_node->get_string())) {
    check_jsonata_value(reader, *seconds_node, "Seconds");
    if (auto expression = JsonataTemplate::compile(*seconds_node, "Seconds", reader))
      state.delay = WaitState::SecondsExpression{std::move(*expression)};
  } else if (jsonata) {
    if (auto seconds = integer_or_expression(reader, "Seconds", 0, 99999999))
      state.delay = WaitState::Seconds{*seconds};
  } else if (auto seconds = reader.integer("Seconds", 0, 99999999)) {
    state.delay = WaitState::Seconds{*seconds};
  }
  const boost::json::value* timestamp_node = reader.field("Timestamp");
  if (jsonata && timestamp_node && timestamp_node->is_string() &&
      is_jsonata_expression(timestamp_node->get_string())) {
    check_jsonata_value(reader, *timestamp_node, "Timestamp");
    if (auto expression = JsonataTemplate::compile(*timestamp_node, "Timestamp", reader))
      state.delay = WaitState::TimestampExpression{std::move(*expression)};
  } else if (auto text = reader.string("Timestamp")) {
    if (auto timestamp = data::Timestamp::parse(*text))
      state.delay = WaitState::Timestamp{*timestamp};
    else
      reader.error_at(*timestamp_node, fmt::format("'Timestamp' must be an RFC 3339 timestamp "
                                                   "such as \"2016-03-14T01:59:00Z\" (uppercase "
                                                   "T, and Z or an offset), not \"{}\"",
                                                   *text));
  }
  for (std::string_view field : {"SecondsPath", "TimestampPath"}) {
    if (reject_for_language(reader, field, language)) continue;
    auto path = compile_reference_path(reader, field, "$.delay");
    if (!path) continue;
    if (field == "SecondsPath") state.delay = WaitState::SecondsPath{std::move(*path)};
    else state.delay = WaitState::TimestampPath{std::move(*path)};
  }
  // "A Wait state MUST contain exactly one of Seconds, SecondsPath, Timestamp or
  // TimestampPath" (ASL spec); the second and later ones are reported where they are written.
  std::vector<std::string_view> given;
  for (std::string_view field : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"})
    if (reader.has(field)) given.push_back(field);
  std::string_view choices = jsonata ? "'Seconds' or 'Timestamp'"
                                     : "'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'";
  if (given.empty())
    reader.error(fmt::format("{} needs one of {} to say how long to wait", reader.owner(),
                             choices));
  for (std::size_t i = 1; i < given.size(); ++i)
    reader.error_at_field(given[i], fmt::format("'{}' and '{}' exclude each other; a Wait state "
                                                "takes exactly one of {}",
                                                given[0], given[i], choices));
  return state;
}

}  // namespace flowstate::states
