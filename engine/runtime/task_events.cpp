#include "engine/runtime/task_events.hpp"

#include "engine/tasks/lambda_invoke.hpp"
#include "states/task_state.hpp"

namespace flowstate::runtime {

namespace {

constexpr std::string_view kServicePrefix = "arn:aws:states:::";

}  // namespace

std::string_view TaskEvents::scheduled() const {
  return lambda_function ? "LambdaFunctionScheduled" : activity ? "ActivityScheduled" : "TaskScheduled";
}
std::string_view TaskEvents::started() const {
  return lambda_function ? "LambdaFunctionStarted" : activity ? "ActivityStarted" : "TaskStarted";
}
std::string_view TaskEvents::succeeded() const {
  return lambda_function ? "LambdaFunctionSucceeded" : activity ? "ActivitySucceeded" : "TaskSucceeded";
}
std::string_view TaskEvents::failed() const {
  return lambda_function ? "LambdaFunctionFailed" : activity ? "ActivityFailed" : "TaskFailed";
}
std::string_view TaskEvents::timed_out() const {
  return lambda_function ? "LambdaFunctionTimedOut" : activity ? "ActivityTimedOut" : "TaskTimedOut";
}
std::string_view TaskEvents::start_failed() const {
  return lambda_function ? "LambdaFunctionStartFailed" : activity ? "ActivityScheduleFailed" : "TaskStartFailed";
}

boost::json::object TaskEvents::with_resource(boost::json::object details) const {
  if (names_resource()) {
    details["resourceType"] = resource_type;
    details["resource"] = resource;
  }
  return details;
}

TaskEvents task_events_for(std::string_view arn) {
  TaskEvents events;
  if (tasks::is_lambda_function_arn(arn)) {
    events.lambda_function = true;
    return events;
  }
  if (states::is_activity_arn(arn)) {
    events.activity = true;
    return events;
  }
  if (arn.starts_with(kServicePrefix)) {
    // SERVICE:ACTION, where an aws-sdk SERVICE has its own colon (aws-sdk:s3:getObject).
    std::string_view rest = arn.substr(kServicePrefix.size());
    std::size_t split = rest.find(':');
    if (split != std::string_view::npos && rest.substr(0, split) == "aws-sdk")
      split = rest.find(':', split + 1);
    if (split != std::string_view::npos && split > 0 && split + 1 < rest.size()) {
      events.resource_type = std::string(rest.substr(0, split));
      events.resource = std::string(rest.substr(split + 1));
      return events;
    }
  }
  events.resource_type = "flowstate";
  events.resource = std::string(arn);
  return events;
}

}  // namespace flowstate::runtime
