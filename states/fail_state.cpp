#include "states/fail_state.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"

namespace flowstate::states {

namespace {

// "ErrorPath / CausePath: a reference path or one of the intrinsics States.Format,
// States.JsonToString, States.ArrayGetItem, States.Base64Encode, States.Base64Decode,
// States.Hash, States.UUID" (DG state-fail): the ones that yield a string.
constexpr std::string_view kStringIntrinsics[] = {
    "States.Format",       "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode",
    "States.Base64Decode", "States.Hash",         "States.UUID"};

std::optional<FailState::Computed> compile_computed(definition::FieldReader& reader,
                                                    std::string_view field) {
  auto text = reader.string(field);
  if (!text) return std::nullopt;
  const boost::json::value& node = *reader.field(field);
  if (text->starts_with("$")) {
    auto path = data::JsonPath::compile(*text);
    if (!path || !path->is_definite()) {
      reader.error_at(node, fmt::format("'{}' must be a reference path such as '$.error' or a "
                                        "string intrinsic such as States.Format(...), not '{}'",
                                        field, *text));
      return std::nullopt;
    }
    return FailState::Computed(std::move(*path));
  }
  auto call = data::IntrinsicCall::compile(*text);
  if (!call) {
    reader.error_at(node, fmt::format("'{}': {}", field, call.error()));
    return std::nullopt;
  }
  if (std::find(std::begin(kStringIntrinsics), std::end(kStringIntrinsics),
                call->function_name()) == std::end(kStringIntrinsics)) {
    reader.error_at(node, fmt::format("'{}' cannot call {}; a Fail state accepts only the "
                                      "intrinsics that return a string (States.Format, "
                                      "States.JsonToString, States.ArrayGetItem, "
                                      "States.Base64Encode, States.Base64Decode, States.Hash, "
                                      "States.UUID)",
                                      field, call->function_name()));
    return std::nullopt;
  }
  return FailState::Computed(std::move(*call));
}

boost::system::result<std::string, asl::Failure> evaluate_computed(
    const FailState::Computed& computed, std::string_view field, const data::PathScope& scope) {
  if (const auto* path = std::get_if<data::JsonPath>(&computed)) {
    const boost::json::value* node = path->find(scope);
    if (!node) return data::field_path_not_found(*path, field, scope.input);
    if (node->is_string()) return std::string(node->get_string());
    return data::serialize_json(*node);
  }
  auto value = std::get<data::IntrinsicCall>(computed).evaluate(scope);
  if (!value) return value.error();
  if (value->is_string()) return std::string(value->get_string());
  return data::serialize_json(*value);
}

}  // namespace

boost::system::result<FailState::Raised, asl::Failure> FailState::evaluate(
    const data::PathScope& scope) const {
  asl::Failure failure{error, cause};
  if (error_path) {
    auto value = evaluate_computed(*error_path, "ErrorPath", scope);
    if (!value) return {boost::system::in_place_error, value.error()};
    failure.error = std::move(*value);
  }
  if (cause_path) {
    auto value = evaluate_computed(*cause_path, "CausePath", scope);
    if (!value) return {boost::system::in_place_error, value.error()};
    failure.cause = std::move(*value);
  }
  return Raised{std::move(failure)};
}

boost::system::result<FailState::Raised, asl::Failure> FailState::evaluate(const JsonataScope& scope) const {
  asl::Failure failure(error, cause);
  for (auto [expression, target] : {std::pair{&error_expression, &failure.error},
                                    std::pair{&cause_expression, &failure.cause}}) {
    if (!*expression) continue;
    auto value = (*expression)->evaluate(scope);
    if (!value) return {boost::system::in_place_error, value.error()};
    *target = value->is_string() ? std::string(value->get_string()) : data::serialize_json(*value);
  }
  return Raised{std::move(failure)};
}

std::optional<FailState> compile_fail_state(definition::FieldReader& reader,
                                           QueryLanguage language) {
  FailState state;
  state.error = reader.string("Error");
  state.cause = reader.string("Cause");
  if (language == QueryLanguage::jsonata) {
    for (std::string_view field : {"Error", "Cause"}) {
      const auto* value = reader.field(field);
      if (!value) continue;
      check_jsonata_value(reader, *value, field);
      if (value->is_string() && is_jsonata_expression(value->get_string()))
        (field == "Error" ? state.error_expression : state.cause_expression) =
            JsonataTemplate::compile(*value, std::string(field), reader);
    }
    reject_for_language(reader, "ErrorPath", language);
    reject_for_language(reader, "CausePath", language);
    return state;
  }
  state.error_path = compile_computed(reader, "ErrorPath");
  state.cause_path = compile_computed(reader, "CausePath");
  if (reader.has("Error") && reader.has("ErrorPath"))
    reader.error_at_field("ErrorPath", "'Error' and 'ErrorPath' exclude each other; keep one");
  if (reader.has("Cause") && reader.has("CausePath"))
    reader.error_at_field("CausePath", "'Cause' and 'CausePath' exclude each other; keep one");
  return state;
}

}  // namespace flowstate::states
