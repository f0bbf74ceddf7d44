// TestState: runs one state of a definition (runtime/state_test.hpp) and answers AWS's
// TestState response. A Task without a mock runs through the server's task resources
// (commands, the Lambda endpoint); one that nothing serves fails with States.Runtime, as a
// state whose service cannot be reached fails.
#include "engine/server/actions.hpp"

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/definition/state_test_definition.hpp"
#include "engine/runtime/state_test.hpp"

namespace flowstate::server {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

// API_TestState's length limit on definition.
constexpr std::size_t kMaxDefinitionChars = 1048576;

ApiError validation(std::string message) { return ApiError("ValidationException", message); }

const json::object* optional_object(const json::object& request, std::string_view member) {
  const json::value* value = request.if_contains(member);
  if (!value || value->is_null()) return nullptr;
  if (!value->is_object()) throw validation(fmt::format("{} must be an object", member));
  return &value->get_object();
}

// mock: {result (JSON text) | errorOutput {error, cause}, fieldValidationMode}.
tasks::MockedOutcome parsed_mock(const json::object& mock) {
  auto result = optional_string(mock, "result");
  const json::object* error_output = optional_object(mock, "errorOutput");
  // DG-teststate: "You cannot provide both mock.result and mock.errorOutput".
  if (result && error_output)
    throw validation("A mock gives either a result or an errorOutput, not both.");
  if (!result && !error_output) throw validation("A mock needs a result or an errorOutput.");
  if (auto mode = optional_string(mock, "fieldValidationMode");
      mode && *mode != "STRICT" && *mode != "PRESENT" && *mode != "NONE")
    throw validation(fmt::format("1 validation error detected: Value '{}' at 'mock.fieldValidationMode' failed "
                                 "to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
                                 *mode));
  tasks::MockedOutcome outcome;
  if (result) {
    auto value = data::parse_json(*result);
    if (!value)
      throw validation(fmt::format("mock.result is not JSON: {} (line {}, column {})", value.error().message,
                                   value.error().line, value.error().column));
    outcome.result = std::move(*value);
    return outcome;
  }
  // API_MockErrorOutput: error "is required if mock.errorOutput is specified".
  auto error = optional_string(*error_output, "error");
  if (!error) throw validation("mock.errorOutput.error is required.");
  outcome.failure = asl::Failure(std::move(*error), optional_string(*error_output, "cause"));
  return outcome;
}

}  // namespace

awaitable<json::object> test_state(ApiContext& context, const json::object& request) {
  std::string text = required_string(request, "definition");
  if (text.empty() || text.size() > kMaxDefinitionChars)
    throw validation(fmt::format("1 validation error detected: Value at 'definition' failed to satisfy "
                                 "constraint: Member must have length between 1 and {}",
                                 kMaxDefinitionChars));
  runtime::StateTestRequest test;
  std::string input_text = optional_string(request, "input").value_or("{}");
  test.input = parsed_input(request);

  std::string level = optional_string(request, "inspectionLevel").value_or("INFO");
  auto parsed_level = runtime::parse_inspection_level(level);
  if (!parsed_level)
    throw validation(fmt::format("1 validation error detected: Value '{}' at 'inspectionLevel' failed to "
                                 "satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
                                 level));
  test.level = *parsed_level;

  if (auto variables = optional_string(request, "variables")) {
    auto value = data::parse_json(*variables);
    if (!value || !value->is_object())
      throw validation("variables must be a JSON object: its keys name the variables, its values set them.");
    test.variables = std::move(value->as_object());
  }
  if (const json::object* mock = optional_object(request, "mock")) test.mock = parsed_mock(*mock);
  // DG-teststate: "you cannot use revealSecrets when mocking is enabled".
  if (test.mock && optional_bool(request, "revealSecrets").value_or(false))
    throw validation("revealSecrets cannot be used with a mock.");
  if (optional_string(request, "context")) {
    // API_TestState: context "may only be specified if a mock is specified".
    if (!test.mock) throw validation("context may only be specified with a mock.");
    throw validation("flowstate does not take a context object for TestState yet; leave context out.");
  }
  if (const json::object* configuration = optional_object(request, "stateConfiguration")) {
    for (std::string_view member : {"errorCausedByState", "mapIterationFailureCount", "mapItemReaderData"})
      if (configuration->contains(member))
        throw validation(fmt::format("flowstate does not take stateConfiguration.{} yet.", member));
    auto count = optional_integer(*configuration, "retrierRetryCount").value_or(0);
    if (count < 0) throw validation("stateConfiguration.retrierRetryCount must be 0 or more.");
    test.retrier_retry_count = count;
  }

  definition::Diagnostics diagnostics;
  auto compiled = definition::compile_state_test_definition(text, "definition", optional_string(request, "stateName"),
                                                           diagnostics);
  if (!compiled) {
    auto problems = diagnostics.sorted();
    if (problems.empty()) problems.push_back({{"definition", 0, 0}, "the definition cannot be read"});
    throw invalid_definition(problems);
  }
  test.state = compiled->state;
  if (auto refusal = runtime::state_test_refusal(compiled->plan, test)) throw validation(*refusal);
  runtime::StateTestResult result =
      co_await runtime::test_state(compiled->plan, std::move(test), context.host.options().resources);
  co_return runtime::test_state_response(result, *parsed_level, input_text);
}

}  // namespace flowstate::server
