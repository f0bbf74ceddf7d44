#include "tools/flowstate/test_expectations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/path_scope.hpp"
#include "tools/flowstate/json_difference.hpp"

namespace flowstate::cli {

namespace json = boost::json;

namespace {

std::string shown(const std::optional<std::string>& text) { return text ? fmt::format("'{}'", *text) : "none"; }

// "$.a: expected 1, got 2" lines under a heading, or nothing when equal.
void compare_json(std::vector<std::string>& failures, std::string_view what, const json::value& expected,
                  const json::value& actual) {
  auto differences = json_differences(expected, actual);
  if (differences.empty()) return;
  std::string message = fmt::format("{} differs:", what);
  for (const std::string& line : differences) message += "\n  " + line;
  failures.push_back(std::move(message));
}

// The details member of an event ("stateEnteredEventDetails") when it is of `suffix`'s kind.
const json::object* details_of(const json::value& event, std::string_view suffix, std::string_view member) {
  const json::object* object = event.if_object();
  if (!object) return nullptr;
  const json::value* type = object->if_contains("type");
  if (!type || !type->is_string() || !std::string_view(type->get_string()).ends_with(suffix)) return nullptr;
  const json::value* details = object->if_contains(member);
  return details ? details->if_object() : nullptr;
}

// The value a state's first entry (`entered`) or exit recorded, parsed from its JSON text.
std::optional<json::value> first_state_value(const std::vector<json::value>& history, std::string_view state,
                                             bool entered) {
  std::string_view suffix = entered ? "StateEntered" : "StateExited";
  std::string_view member = entered ? "stateEnteredEventDetails" : "stateExitedEventDetails";
  std::string_view field = entered ? "input" : "output";
  for (const json::value& event : history) {
    const json::object* details = details_of(event, suffix, member);
    if (!details) continue;
    const json::value* name = details->if_contains("name");
    if (!name || !name->is_string() || name->get_string() != state) continue;
    const json::value* text = details->if_contains(field);
    if (!text || !text->is_string()) return json::value(nullptr);
    auto parsed = data::parse_json(text->get_string());
    return parsed ? std::optional<json::value>(std::move(*parsed)) : std::nullopt;
  }
  return std::nullopt;
}

void check_assertion(std::vector<std::string>& failures, const OutputAssertion& assertion, const json::value& output) {
  if (const auto* path = std::get_if<data::JsonPath>(&assertion.query)) {
    auto value = path->evaluate(data::PathScope{output, nullptr, nullptr});
    if (!value) {
      failures.push_back(fmt::format("assert {} (line {}): the output has no {}: {}", path->text(),
                                     assertion.where.line, path->text(), value.error().detail));
      return;
    }
    compare_json(failures, fmt::format("assert {} (line {})", path->text(), assertion.where.line), *assertion.equals,
                 *value);
    return;
  }
  const auto& expression = std::get<jsonata::Expression>(assertion.query);
  auto value = expression.evaluate(&output);
  if (!value) {
    failures.push_back(fmt::format("assert {} (line {}): {} {}", expression.text(), assertion.where.line,
                                   value.error().code, value.error().message));
    return;
  }
  if (assertion.equals) {
    if (!*value) {
      failures.push_back(fmt::format("assert {} (line {}): expected {}, got undefined", expression.text(),
                                     assertion.where.line, data::serialize_json(*assertion.equals)));
      return;
    }
    compare_json(failures, fmt::format("assert {} (line {})", expression.text(), assertion.where.line),
                 *assertion.equals, **value);
    return;
  }
  if (!*value || !(*value)->is_bool() || !(*value)->get_bool())
    failures.push_back(fmt::format("assert {} (line {}): expected true, got {}", expression.text(),
                                   assertion.where.line, *value ? data::serialize_json(**value) : "undefined"));
}

}  // namespace

std::vector<std::string> states_entered(const std::vector<json::value>& history) {
  std::vector<std::string> names;
  for (const json::value& event : history)
    if (const json::object* details = details_of(event, "StateEntered", "stateEnteredEventDetails"))
      if (const json::value* name = details->if_contains("name"); name && name->is_string())
        names.emplace_back(name->get_string());
  return names;
}

std::vector<std::string> check_expectations(const TestCase& test, const durable::ExecutionRecord& record,
                                            const std::vector<json::value>& history) {
  std::vector<std::string> failures;
  if (record.status != test.status) {
    std::string message = fmt::format("status: expected {}, got {}", runtime::to_string(test.status),
                                      runtime::to_string(record.status));
    if (record.error || record.cause) message += fmt::format(" (error {}, cause {})", shown(record.error), shown(record.cause));
    failures.push_back(std::move(message));
  }
  if (test.error && record.error != test.error)
    failures.push_back(fmt::format("error: expected '{}', got {}", *test.error, shown(record.error)));
  if (test.cause && record.cause != test.cause)
    failures.push_back(fmt::format("cause: expected '{}', got {}", *test.cause, shown(record.cause)));
  if (test.output) {
    if (!record.output) failures.push_back(fmt::format("output: expected {}, got none", data::serialize_json(*test.output)));
    else compare_json(failures, "output", *test.output, *record.output);
  }
  for (const OutputAssertion& assertion : test.assertions) {
    if (!record.output) {
      failures.push_back(fmt::format("assert (line {}): the execution has no output", assertion.where.line));
      continue;
    }
    check_assertion(failures, assertion, *record.output);
  }
  if (test.states) {
    auto entered = states_entered(history);
    if (entered != *test.states)
      failures.push_back(fmt::format("states entered: expected [{}], got [{}]", fmt::join(*test.states, ", "),
                                     fmt::join(entered, ", ")));
  }
  for (const auto& [values, entered] : {std::pair{&test.state_inputs, true}, std::pair{&test.state_outputs, false}}) {
    for (const StateValue& expected : *values) {
      std::string what = fmt::format("{} of state '{}'", entered ? "input" : "output", expected.state);
      auto actual = first_state_value(history, expected.state, entered);
      if (!actual) failures.push_back(fmt::format("{}: the state was never {}", what, entered ? "entered" : "left"));
      else compare_json(failures, what, expected.value, *actual);
    }
  }
  return failures;
}

}  // namespace flowstate::cli
