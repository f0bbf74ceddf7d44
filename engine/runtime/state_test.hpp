// TestState: runs one state of a compiled machine on an input, as AWS's TestState API does,
// through the same life cycle as an execution (io pipeline, Assign, Retry and Catch
// decisions), and answers what AWS answers: the output or error, the next state, the status
// (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR) and, at DEBUG, the inspection data. A Task
// (or a Map or Parallel) can be given its result or error instead of running (TestState's
// mock); nothing waits: a Wait state returns at once, and a retry is reported, not slept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/tasks/mock_config.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace flowstate::runtime {

/// TestState's inspectionLevel: INFO (output, status, next state), DEBUG (and the values
/// between the pipeline's stages), TRACE (DEBUG, for an HTTP Task).
enum class InspectionLevel { info, debug, trace };

/// "INFO" / "DEBUG" / "TRACE", or nullopt.
std::optional<InspectionLevel> parse_inspection_level(std::string_view text);

struct StateTestRequest {
  std::string state;            ///< the state to test, by name, at any depth of the plan
  boost::json::value input;
  /// The workflow variables the state sees (TestState's `variables`).
  std::optional<boost::json::object> variables;
  /// A Task's, Map's or Parallel's result or error in place of running it (TestState's
  /// `mock`); without one a Task runs through `resources`.
  std::optional<tasks::MockedOutcome> mock;
  /// Retries the matching retrier has made already (stateConfiguration.retrierRetryCount).
  std::int64_t retrier_retry_count = 0;
  InspectionLevel level = InspectionLevel::info;
};

/// Why TestState refuses `request` before running anything (AWS: ValidationException), or
/// nullopt: an unknown state, a mock for a state type that takes none, a Map, Parallel,
/// activity, .sync or callback Task without a mock, TRACE for anything but an HTTP Task.
std::optional<std::string> state_test_refusal(const definition::Plan& plan, const StateTestRequest& request);

enum class StateTestStatus { succeeded, failed, retriable, caught_error };

/// inspectionData: the values after each stage, as far as the state got.
struct InspectionData {
  std::optional<boost::json::value> after_input_path;
  std::optional<boost::json::value> after_parameters;
  std::optional<boost::json::value> after_arguments;
  std::optional<boost::json::value> result;
  std::optional<boost::json::value> after_result_selector;
  std::optional<boost::json::value> after_result_path;
  /// The variables after the state (what it assigned over the request's).
  std::optional<boost::json::object> variables;
  std::optional<std::size_t> retry_index;
  std::optional<std::int64_t> retry_backoff_interval_seconds;
  std::optional<std::size_t> catch_index;
};

struct StateTestResult {
  StateTestStatus status = StateTestStatus::succeeded;
  std::optional<boost::json::value> output;  ///< SUCCEEDED, CAUGHT_ERROR
  std::optional<asl::Failure> failure;       ///< FAILED, RETRIABLE, CAUGHT_ERROR
  std::string next_state;                    ///< "" when the state ends its branch or fails
  InspectionData inspection;
};

/// Runs the state `request` names once; `state_test_refusal` must have accepted the request.
/// `resources` serve a Task without a mock (null: none, and it fails with States.Runtime).
boost::asio::awaitable<StateTestResult> test_state(const definition::Plan& plan, StateTestRequest request,
                                                   const tasks::ResourceRegistry* resources);

/// AWS's TestState response: output, error, cause, nextState, status, and at DEBUG and TRACE
/// inspectionData (payloads as JSON text, `input_text` as given).
boost::json::object test_state_response(const StateTestResult& result, InspectionLevel level,
                                        std::string_view input_text);

}  // namespace flowstate::runtime
