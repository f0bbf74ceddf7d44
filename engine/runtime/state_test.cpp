#include "engine/runtime/state_test.hpp"

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/execution_run.hpp"
#include "engine/runtime/io_pipeline.hpp"
#include "engine/runtime/state_attempt.hpp"
#include "engine/runtime/transition.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;
using definition::StateMachine;

namespace {

// The AWS resource of an HTTP Task, the only state TRACE inspects.
constexpr std::string_view kHttpInvokeResource = "arn:aws:states:::http:invoke";

struct StateLocation {
  const StateMachine* machine = nullptr;
  std::size_t index = 0;
};

// The state named `name` in `machine` or any block nested in it (Parallel branches, Map
// processors).
std::optional<StateLocation> find_state(const StateMachine& machine, std::string_view name) {
  if (auto index = machine.find(name)) return StateLocation{&machine, *index};
  for (const CompiledState& state : machine.states) {
    std::optional<StateLocation> found;
    if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
      for (const auto& branch : parallel->branches)
        if (!found && branch) found = find_state(*branch, name);
    } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
      if (map->processor) found = find_state(*map->processor, name);
    }
    if (found) return found;
  }
  return std::nullopt;
}

bool waits_for_job(const states::TaskState& task) {
  return task.integration.ends_with(".sync") || task.integration.find(".sync:") != std::string::npos;
}

// Keeps what the state's pipeline shows at each stage.
class InspectionRecorder final : public PipelineObserver {
 public:
  explicit InspectionRecorder(InspectionData& data) : data_(data) {}
  void observe(PipelineStage stage, const json::value& value) override {
    switch (stage) {
      case PipelineStage::after_input_path: data_.after_input_path = value; break;
      case PipelineStage::after_parameters: data_.after_parameters = value; break;
      case PipelineStage::after_arguments: data_.after_arguments = value; break;
      case PipelineStage::result: data_.result = value; break;
      case PipelineStage::after_result_selector: data_.after_result_selector = value; break;
      case PipelineStage::after_result_path: data_.after_result_path = value; break;
    }
  }

 private:
  InspectionData& data_;
};

// What AWS shows of the stages: JSONPath fields only for JSONPath states ("Not populated
// when QueryLanguage is JSONata"), the raw result only for the states that do work, and
// a stage that passed its value through unchanged (no InputPath, no Parameters) with that
// value.
void complete_inspection(InspectionData& data, const CompiledState& state, const json::value& input) {
  bool does_work = state.fields.type == asl::StateType::task || state.fields.type == asl::StateType::map ||
                   state.fields.type == asl::StateType::parallel;
  if (!does_work) data.result.reset();
  if (state.fields.query_language == states::QueryLanguage::jsonata) {
    data.after_input_path.reset();
    data.after_parameters.reset();
    data.after_result_selector.reset();
    data.after_result_path.reset();
    return;
  }
  bool reached_output = data.after_result_selector.has_value();
  if (!data.after_input_path && reached_output) data.after_input_path = input;
  bool has_parameters = does_work || state.fields.type == asl::StateType::pass;
  if (has_parameters && !data.after_parameters && data.after_input_path && (reached_output || does_work))
    data.after_parameters = data.after_input_path;
}

}  // namespace

std::optional<InspectionLevel> parse_inspection_level(std::string_view text) {
  if (text == "INFO") return InspectionLevel::info;
  if (text == "DEBUG") return InspectionLevel::debug;
  if (text == "TRACE") return InspectionLevel::trace;
  return std::nullopt;
}

std::optional<std::string> state_test_refusal(const definition::Plan& plan, const StateTestRequest& request) {
  auto location = find_state(plan.machine, request.state);
  if (!location) return fmt::format("The state '{}' is not in the definition.", request.state);
  const CompiledState& state = location->machine->states[location->index];
  const auto* task = std::get_if<states::TaskState>(&state.body);
  bool takes_mock = task || state.fields.type == asl::StateType::map ||
                    state.fields.type == asl::StateType::parallel;
  // API_TestState, mock: "A mock can only be specified for Task, Map, or Parallel states."
  if (request.mock && !takes_mock)
    return fmt::format("A mock can only be specified for Task, Map, or Parallel states; '{}' is a {} state.",
                       state.fields.name, asl::to_string(state.fields.type));
  // DG-teststate: Map, Parallel, activities, .sync and .waitForTaskToken are tested with a
  // mock only.
  if (!request.mock) {
    if (!task && takes_mock)
      return fmt::format("A {} state is tested with a mock of its result or error; '{}' has none.",
                         asl::to_string(state.fields.type), state.fields.name);
    if (task && (task->activity || task->waits_for_callback || waits_for_job(*task)))
      return fmt::format("The Task '{}' ('{}') is tested with a mock of its result or error: an activity, "
                         ".sync or .waitForTaskToken Task is not run by TestState.",
                         state.fields.name, task->resource);
  }
  // DG-teststate: "This level is only applicable for HTTP Task."
  if (request.level == InspectionLevel::trace && !(task && task->integration == kHttpInvokeResource))
    return fmt::format("The inspection level TRACE is for an HTTP Task ('{}'); '{}' is not one.",
                       kHttpInvokeResource, state.fields.name);
  return std::nullopt;
}

asio::awaitable<StateTestResult> test_state(const definition::Plan& plan, StateTestRequest request,
                                            const tasks::ResourceRegistry* resources) {
  StateTestResult result;
  auto location = find_state(plan.machine, request.state);
  const StateMachine& machine = *location->machine;
  const CompiledState& state = machine.states[location->index];

  SkipWaitsClock clock;  // TestState does not wait: a Wait state ends at once
  ExecutionOptions options;
  options.name = "TestState";
  options.clock = &clock;
  options.resources = resources;
  tasks::MockedStates mocked;
  std::optional<tasks::TaskMocks> mocks;
  if (request.mock) {
    auto response = std::make_shared<tasks::MockedResponse>();
    response->name = state.fields.name;
    response->ranges.push_back({0, 0, *request.mock});
    mocked.emplace(state.fields.name, std::move(response));
    mocks.emplace(mocked);
    options.mocks = &*mocks;
  }
  auto start = clock.now();
  std::string_view machine_name = plan.name.empty() ? std::string_view("TestState") : std::string_view(plan.name);
  ExecutionRun run{plan,
                   options,
                   request.input,
                   fmt::format("arn:aws:states:{}:{}:execution:{}:{}", options.region, options.account,
                               machine_name, options.name),
                   fmt::format("arn:aws:states:{}:{}:stateMachine:{}", options.region, options.account,
                               machine_name),
                   fmt::format("arn:aws:iam::{}:role/flowstate", options.account),
                   start,
                   data::format_timestamp(std::chrono::floor<std::chrono::milliseconds>(start)),
                   data::JitterRandom(data::random_u64())};

  BranchProgress progress(machine, nullptr, 0);
  if (request.variables) progress.variables = std::make_shared<const json::object>(std::move(*request.variables));
  InspectionRecorder recorder(result.inspection);
  progress.observer = &recorder;
  json::value input = request.input;
  progress.stand_before(location->index, input, 0);
  auto name_of = [&](std::size_t index) { return machine.states[index].fields.name; };

  if (runs_synchronously(state) || state.fields.type == asl::StateType::wait) {
    StepOutcome step;
    if (runs_synchronously(state)) {
      step = run_synchronous_state(run, progress, state, std::move(input), 0);
    } else {
      StepOutcome waited = co_await run_asynchronous_state(run, progress, state, std::move(input), 0);
      step = std::move(waited);
    }
    if (step.kind == StepOutcome::Kind::fail) {
      result.status = StateTestStatus::failed;
      result.failure = std::move(step.failure);
    } else {
      result.output = std::move(step.output);
      if (step.kind == StepOutcome::Kind::advance) result.next_state = name_of(step.next);
    }
  } else {
    // Task, Map, Parallel: one attempt, then what Retry and Catch would do with its failure.
    constexpr std::int64_t kEntered = 1;  // the state's *StateEntered, were events recorded
    auto entered_time = run.entered_time(/*needed=*/true);
    progress.input = &input;
    progress.entered = progress.last = kEntered;
    progress.entered_time = entered_time;
    std::vector<std::int64_t> attempts(state.fields.retry.retriers.size(), request.retrier_retry_count);
    progress.retries = &attempts;
    progress.retry_count = request.retrier_retry_count;
    auto context = context_for(run, state, entered_time, request.retrier_retry_count);
    Attempt attempt;
    if (const auto* task = std::get_if<states::TaskState>(&state.body)) {
      attempt = co_await attempt_task(run, progress, state, *task, input, context, kEntered, kEntered, nullptr);
    } else if (request.mock->result) {
      // A Map's or Parallel's mocked result stands for all its iterations' or branches'.
      attempt = finish_attempt(state, kEntered, input, *request.mock->result, lookups_for(progress, context),
                               kEntered);
    } else {
      attempt = Attempt::fail(request.mock->failure, kEntered);
    }

    if (attempt.kind == Attempt::Kind::succeeded) {
      if (attempt.assigned) assign_variables(progress, *attempt.assigned);
      result.output = std::move(attempt.output);
      if (state.fields.next) result.next_state = name_of(state.fields.next->index);
    } else {
      result.failure = attempt.failure;
      std::string_view error = attempt.failure.error ? std::string_view(*attempt.failure.error) : std::string_view();
      if (auto retry = state.fields.retry.next_delay(error, attempts, run.rng)) {
        // DG-teststate: RETRIABLE, the retrier's index and the back-off before the next try.
        result.status = StateTestStatus::retriable;
        result.inspection.retry_index = retry->retrier;
        result.inspection.retry_backoff_interval_seconds = std::llround(retry->delay_seconds);
      } else if (const states::Catcher* catcher = state.fields.catch_policy.select(error)) {
        Attempt caught = catch_failure(run, progress, state, *catcher, attempt.failure, input,
                                       entered_time, request.retrier_retry_count, kEntered, attempt.last_event_id);
        if (caught.kind == Attempt::Kind::failed) {
          result.status = StateTestStatus::failed;
          result.failure = std::move(caught.failure);
        } else {
          // DG-teststate: CAUGHT_ERROR, the catcher's Next and the output its ResultPath made.
          result.status = StateTestStatus::caught_error;
          if (caught.assigned) assign_variables(progress, *caught.assigned);
          result.output = std::move(caught.output);
          result.next_state = name_of(catcher->next);
          result.inspection.catch_index =
              static_cast<std::size_t>(catcher - state.fields.catch_policy.catchers.data());
        }
      } else {
        result.status = StateTestStatus::failed;
      }
    }
  }
  if (progress.variables) result.inspection.variables = *progress.variables;
  complete_inspection(result.inspection, state, request.input);
  co_return result;
}

json::object test_state_response(const StateTestResult& result, InspectionLevel level, std::string_view input_text) {
  json::object response;
  if (result.output) response["output"] = data::serialize_json(*result.output);
  if (result.failure && result.failure->error) response["error"] = *result.failure->error;
  if (result.failure && result.failure->cause) response["cause"] = *result.failure->cause;
  if (level != InspectionLevel::info) {
    const InspectionData& inspection = result.inspection;
    json::object data;
    data["input"] = input_text;
    auto add = [&](std::string_view member, const std::optional<json::value>& value) {
      if (value) data[member] = data::serialize_json(*value);
    };
    add("afterInputPath", inspection.after_input_path);
    add("afterParameters", inspection.after_parameters);
    add("afterArguments", inspection.after_arguments);
    add("result", inspection.result);
    add("afterResultSelector", inspection.after_result_selector);
    add("afterResultPath", inspection.after_result_path);
    if (inspection.variables) data["variables"] = data::serialize_json(*inspection.variables);
    json::object error_details;
    if (inspection.catch_index) error_details["catchIndex"] = *inspection.catch_index;
    if (inspection.retry_index) error_details["retryIndex"] = *inspection.retry_index;
    if (inspection.retry_backoff_interval_seconds)
      error_details["retryBackoffIntervalSeconds"] = *inspection.retry_backoff_interval_seconds;
    if (!error_details.empty()) data["errorDetails"] = std::move(error_details);
    response["inspectionData"] = std::move(data);
  }
  if (!result.next_state.empty()) response["nextState"] = result.next_state;
  switch (result.status) {
    case StateTestStatus::succeeded: response["status"] = "SUCCEEDED"; break;
    case StateTestStatus::failed: response["status"] = "FAILED"; break;
    case StateTestStatus::retriable: response["status"] = "RETRIABLE"; break;
    case StateTestStatus::caught_error: response["status"] = "CAUGHT_ERROR"; break;
  }
  return response;
}

}  // namespace flowstate::runtime
