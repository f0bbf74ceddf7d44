#include "engine/runtime/state_attempt.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/context_object.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

asl::Failure located(const CompiledState& state, std::int64_t entered_id, asl::Failure failure) {
  std::string cause = fmt::format("An error occurred while executing the state '{}' (entered at "
                                  "the event id #{}).",
                                  state.fields.name, entered_id);
  if (failure.cause && !failure.cause->empty()) cause += " " + *failure.cause;
  failure.cause = std::move(cause);
  return failure;
}

asl::Failure data_limit_exceeded(std::string_view subject) {
  return asl::Failure(std::string(asl::error_name::kDataLimitExceeded),
                      fmt::format("The state/task '{}' returned a result with a size exceeding "
                                  "the maximum number of bytes service limit.",
                                  subject));
}

bool too_large(const json::value& value) {
  return data::serialized_size_exceeds(value, asl::kMaxPayloadBytes);
}

Attempt finish_attempt(const CompiledState& state, std::int64_t entered, const json::value& input,
                       json::value result, const Lookups& lookups, std::int64_t succeeded) {
  auto assigned = assigned_variables(state.fields.assign, result, with_result(lookups, result));
  if (!assigned) return Attempt::fail(located(state, entered, assigned.error()), succeeded);
  auto output = state_output(state.fields, input, std::move(result), lookups);
  if (!output) return Attempt::fail(located(state, entered, output.error()), succeeded);
  return Attempt::succeed(std::move(*output), succeeded, std::move(*assigned));
}

Attempt catch_failure(const ExecutionRun& run, const BranchProgress& progress, const CompiledState& state,
                      const states::Catcher& catcher, const asl::Failure& failure, json::value& input,
                      std::chrono::system_clock::time_point entered_time, std::int64_t retry_count,
                      std::int64_t entered, std::int64_t last) {
  json::value error_output = failure.to_error_output();
  // "$" ($states.errorOutput) in a Catcher's Assign is the error output.
  auto context = context_for(run, state, entered_time, retry_count);
  Lookups lookups = lookups_for(progress, context);
  lookups.error_output = &error_output;
  auto assigned = assigned_variables(catcher.assign, error_output, lookups);
  if (!assigned) return Attempt::fail(located(state, entered, assigned.error()), last);
  auto output = state.fields.query_language == states::QueryLanguage::jsonata
                    ? apply_output(catcher.output, std::move(error_output), lookups)
                    : apply_result_path(catcher.result_path, std::move(input), std::move(error_output));
  if (!output) return Attempt::fail(located(state, entered, output.error()), last);
  return Attempt::succeed(std::move(*output), last, std::move(*assigned));
}

json::object payload_details(std::string_view name, std::string_view key, const json::value& payload) {
  json::object details(3);  // built for every event a sink records: one table, sized once
  if (!name.empty()) details["name"] = name;
  details[key] = data::serialize_json(payload);
  details[std::string(key) + "Details"] = json::object{{"truncated", false}};
  return details;
}

json::object failure_details(const asl::Failure& failure) {
  json::object details;
  if (failure.error) details["error"] = *failure.error;
  if (failure.cause) details["cause"] = *failure.cause;
  return details;
}

std::optional<json::value> context_for(const ExecutionRun& run, const CompiledState& state,
                                       std::chrono::system_clock::time_point entered,
                                       std::optional<std::int64_t> retry_count) {
  if (!state.fields.reads_context) return std::nullopt;
  return json::value(make_context_object(run, StateVisit{state.fields.name, entered, retry_count}));
}

Lookups lookups_for(const BranchProgress& progress, const std::optional<json::value>& context) {
  Lookups lookups;
  lookups.context = context ? &*context : nullptr;
  lookups.variables = progress.variables.get();
  lookups.state_input = progress.input;
  lookups.observer = progress.observer;
  return lookups;
}

Lookups with_result(Lookups lookups, const json::value& result) {
  lookups.result = &result;
  return lookups;
}

std::int64_t start_children(ExecutionRun& run, BranchProgress& progress, std::int64_t started,
                            const Checkpoint* resume) {
  progress.started = resume ? resume->started : started;
  progress.last = progress.started;
  if (!resume) run.moved(progress, BranchMove::children_started);
  return progress.started;
}

}  // namespace flowstate::runtime
