#include "engine/runtime/checkpoint.hpp"

#include <charconv>

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/data/json_member.hpp"
#include "engine/data/timestamp.hpp"

namespace flowstate::runtime {

namespace json = boost::json;

namespace {

json::object map_run_limits_json(const MapRunLimits& limits) {
  json::object out{{"maxConcurrency", limits.max_concurrency}};
  if (limits.tolerated_failure_count) out["toleratedFailureCount"] = *limits.tolerated_failure_count;
  if (limits.tolerated_failure_percentage) out["toleratedFailurePercentage"] = *limits.tolerated_failure_percentage;
  return out;
}

}  // namespace

json::object checkpoint_json(const BranchProgress& branch) {
  json::object out;
  const definition::CompiledState& state = branch.machine->states[branch.state];
  out["state"] = state.fields.name;
  out["input"] = branch.input ? *branch.input : json::value();
  if (branch.variables && !branch.variables->empty()) out["variables"] = *branch.variables;
  if (branch.entered == 0) {
    out["previous"] = branch.previous;
    return out;
  }
  out["entered"] = branch.entered;
  out["enteredTime"] = data::epoch_milliseconds(branch.entered_time);
  out["last"] = branch.last;
  if (branch.retries && !branch.retries->empty())
    out["retries"] = json::array(branch.retries->begin(), branch.retries->end());
  if (branch.retry_count) out["retryCount"] = branch.retry_count;
  if (branch.started) out["started"] = branch.started;
  if (!branch.task_token.empty()) {
    out["taskToken"] = branch.task_token;
    out["taskStartedTime"] = data::epoch_milliseconds(branch.task_started);
    if (branch.task_submitted) out["taskSubmitted"] = true;
  }
  if (branch.map_run_limits) out["mapRunLimits"] = map_run_limits_json(*branch.map_run_limits);
  return out;
}

namespace {

void append_integer(std::string& out, std::int64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

void append_checkpoint_json(std::string& out, const BranchProgress& branch) {
  const definition::CompiledState& state = branch.machine->states[branch.state];
  out += R"({"state":)";
  data::append_json_string(out, state.fields.name);
  out += R"(,"input":)";
  if (branch.input) data::append_json(out, *branch.input);
  else out += "null";
  if (branch.variables && !branch.variables->empty()) {
    out += R"(,"variables":)";
    data::append_json(out, *branch.variables);
  }
  if (branch.entered == 0) {
    out += R"(,"previous":)";
    append_integer(out, branch.previous);
    out += '}';
    return;
  }
  out += R"(,"entered":)";
  append_integer(out, branch.entered);
  out += R"(,"enteredTime":)";
  append_integer(out, data::epoch_milliseconds(branch.entered_time));
  out += R"(,"last":)";
  append_integer(out, branch.last);
  if (branch.retries && !branch.retries->empty()) {
    out += R"(,"retries":[)";
    for (std::size_t i = 0; i < branch.retries->size(); ++i) {
      if (i) out += ',';
      append_integer(out, (*branch.retries)[i]);
    }
    out += ']';
  }
  if (branch.retry_count) {
    out += R"(,"retryCount":)";
    append_integer(out, branch.retry_count);
  }
  if (branch.started) {
    out += R"(,"started":)";
    append_integer(out, branch.started);
  }
  if (!branch.task_token.empty()) {
    out += R"(,"taskToken":)";
    data::append_json_string(out, branch.task_token);
    out += R"(,"taskStartedTime":)";
    append_integer(out, data::epoch_milliseconds(branch.task_started));
    if (branch.task_submitted) out += R"(,"taskSubmitted":true)";
  }
  if (branch.map_run_limits) {
    out += R"(,"mapRunLimits":)";
    data::append_json(out, map_run_limits_json(*branch.map_run_limits));
  }
  out += '}';
}

boost::system::result<Checkpoint, std::string> read_checkpoint(
    const definition::StateMachine& machine, const json::value& value) {
  const json::object* object = value.if_object();
  const json::value* name = object ? object->if_contains("state") : nullptr;
  if (!name || !name->is_string())
    return boost::system::result<Checkpoint, std::string>(
        boost::system::in_place_error, "a checkpoint without a state name");
  auto found = machine.find(std::string_view(name->get_string()));
  if (!found)
    return boost::system::result<Checkpoint, std::string>(
        boost::system::in_place_error,
        fmt::format("the checkpoint stands at state '{}', which the definition no longer has",
                    std::string_view(name->get_string())));
  Checkpoint checkpoint;
  checkpoint.state = *found;
  if (const json::value* input = object->if_contains("input")) checkpoint.input = *input;
  checkpoint.previous = data::integer_member(*object, "previous");
  checkpoint.entered = data::integer_member(*object, "entered");
  checkpoint.entered_time = data::from_epoch_milliseconds(data::integer_member(*object, "enteredTime"));
  checkpoint.last = data::integer_member(*object, "last");
  if (const json::value* retries = object->if_contains("retries"); retries && retries->is_array())
    for (const json::value& count : retries->get_array())
      checkpoint.retries.push_back(count.is_int64() ? count.get_int64() : 0);
  checkpoint.retry_count = data::integer_member(*object, "retryCount");
  checkpoint.started = data::integer_member(*object, "started");
  if (const json::value* token = object->if_contains("taskToken"); token && token->is_string()) {
    checkpoint.task_token = std::string(token->get_string());
    checkpoint.task_started = data::from_epoch_milliseconds(data::integer_member(*object, "taskStartedTime"));
    const json::value* submitted = object->if_contains("taskSubmitted");
    checkpoint.task_submitted = submitted && submitted->is_bool() && submitted->get_bool();
  }
  if (const json::value* limits = object->if_contains("mapRunLimits"); limits && limits->is_object()) {
    const json::object& fields = limits->get_object();
    MapRunLimits& read = checkpoint.map_run_limits.emplace();
    read.max_concurrency = data::integer_member(fields, "maxConcurrency");
    if (fields.contains("toleratedFailureCount"))
      read.tolerated_failure_count = data::integer_member(fields, "toleratedFailureCount");
    if (const json::value* percentage = fields.if_contains("toleratedFailurePercentage");
        percentage && percentage->is_number())
      read.tolerated_failure_percentage = percentage->to_number<double>();
  }
  if (const json::value* variables = object->if_contains("variables"); variables && variables->is_object())
    checkpoint.variables = std::make_shared<const json::object>(variables->get_object());
  return checkpoint;
}

const definition::StateMachine* child_machine(const definition::CompiledState& state,
                                              std::size_t position) {
  if (const auto* map = std::get_if<states::MapState>(&state.body)) return map->processor.get();
  if (const auto* parallel = std::get_if<states::ParallelState>(&state.body))
    return position < parallel->branches.size() ? parallel->branches[position].get() : nullptr;
  return nullptr;
}

}  // namespace flowstate::runtime
