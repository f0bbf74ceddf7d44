#include "engine/server/aws_json_protocol.hpp"

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/timestamp.hpp"

namespace flowstate::server {

namespace json = boost::json;

ApiAnswer error_answer(const ApiError& error) {
  json::object body{{"__type", error.code()}, {"message", error.what()}};
  if (!error.reason().empty()) body["reason"] = error.reason();
  return ApiAnswer{error.status(), data::serialize_json(body), error.code()};
}

ApiAnswer success_answer(const json::object& body) { return ApiAnswer{200, data::serialize_json(body), {}}; }

std::string action_of_target(std::string_view target) {
  if (!target.starts_with(kTargetPrefix) || target.size() == kTargetPrefix.size())
    throw ApiError("UnknownOperationException",
                   target.empty() ? std::string("the request has no X-Amz-Target header naming an action")
                                  : fmt::format("unknown operation '{}': X-Amz-Target must be "
                                                "AWSStepFunctions.<Action>",
                                                target));
  return std::string(target.substr(kTargetPrefix.size()));
}

json::object parse_request_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  auto parsed = data::parse_json(body);
  if (!parsed)
    throw ApiError("SerializationException",
                   fmt::format("the request body is not valid JSON (line {}, column {}: {})",
                               parsed.error().line, parsed.error().column, parsed.error().message));
  if (!parsed->is_object()) throw ApiError("SerializationException", "the request body must be a JSON object");
  return std::move(parsed->get_object());
}

namespace {

[[noreturn]] void wrong_type(std::string_view member, std::string_view type) {
  throw ApiError("ValidationException",
                 fmt::format("1 validation error detected: Value at '{}' failed to satisfy constraint: "
                             "Member must be a {}",
                             member, type));
}

}  // namespace

std::string required_string(const json::object& request, std::string_view member) {
  auto value = optional_string(request, member);
  if (!value)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value null at '{}' failed to satisfy "
                               "constraint: Member must not be null",
                               member));
  return std::move(*value);
}

std::optional<std::string> optional_string(const json::object& request, std::string_view member) {
  const json::value* value = request.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string()) wrong_type(member, "string");
  return std::string(value->get_string());
}

std::optional<std::string> optional_string(const json::object& request, std::string_view member,
                                           std::size_t max_length) {
  auto value = optional_string(request, member);
  if (value && value->size() > max_length)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value at '{}' failed to satisfy constraint: "
                               "Member must have length less than or equal to {}",
                               member, max_length));
  return value;
}

std::optional<bool> optional_bool(const json::object& request, std::string_view member) {
  const json::value* value = request.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_bool()) wrong_type(member, "boolean");
  return value->get_bool();
}

std::optional<std::int64_t> optional_integer(const json::object& request, std::string_view member) {
  const json::value* value = request.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  wrong_type(member, "integer");
}

std::optional<double> optional_number(const json::object& request, std::string_view member) {
  const json::value* value = request.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_number()) wrong_type(member, "number");
  return value->to_number<double>();
}

double epoch_seconds(std::chrono::system_clock::time_point time) {
  return static_cast<double>(data::epoch_milliseconds(time)) / 1000.0;
}

}  // namespace flowstate::server
