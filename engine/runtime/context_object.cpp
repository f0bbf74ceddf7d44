#include "engine/runtime/context_object.hpp"

#include "engine/data/timestamp.hpp"

namespace flowstate::runtime {

namespace json = boost::json;

json::object make_context_object(const ExecutionRun& run, const StateVisit& visit) {
  json::object execution;
  execution["Id"] = run.execution_arn;
  execution["Input"] = run.input;
  execution["StartTime"] = run.start_time;
  execution["Name"] = run.options.name;
  execution["RoleArn"] = run.role_arn;
  execution["RedriveCount"] = run.redrive_count;
  json::object state_machine;
  state_machine["Id"] = run.state_machine_arn;
  state_machine["Name"] = run.machine_name();
  json::object state;
  state["Name"] = visit.name;
  state["EnteredTime"] = data::format_timestamp(
      std::chrono::floor<std::chrono::milliseconds>(visit.entered));
  if (visit.retry_count) state["RetryCount"] = *visit.retry_count;
  json::object context;
  context["Execution"] = std::move(execution);
  context["StateMachine"] = std::move(state_machine);
  context["State"] = std::move(state);
  return context;
}

json::object with_map_item(json::object context, std::size_t index, const json::value& item) {
  json::object entry;
  entry["Index"] = index;
  entry["Value"] = item;
  json::object map;
  map["Item"] = std::move(entry);
  context["Map"] = std::move(map);
  return context;
}

}  // namespace flowstate::runtime
