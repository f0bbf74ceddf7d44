// TaskEvents: which history events AWS records for a Task, decided by its Resource ARN. A
// Lambda function named directly records LambdaFunction* events; every other resource records
// Task* events whose resourceType and resource are the ARN's service and action.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace flowstate::runtime {

struct TaskEvents {
  /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`: LambdaFunctionScheduled, ...Started,
  /// ...Succeeded, ...Failed, ...TimedOut, ...StartFailed; no resourceType/resource members.
  bool lambda_function = false;
  /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`: ActivityScheduled, ...Started (when a
  /// worker takes it), ...Succeeded, ...Failed, ...TimedOut, ...ScheduleFailed; no
  /// resourceType/resource members either.
  bool activity = false;
  /// For Task* events: "lambda" / "invoke" for `arn:aws:states:::lambda:invoke`,
  /// "aws-sdk:s3" / "getObject" for `arn:aws:states:::aws-sdk:s3:getObject`, "states" /
  /// "startExecution.sync:2" for a nested machine; flowstate's own resources (and any ARN
  /// of another shape) keep "flowstate" and the whole ARN.
  std::string resource_type;
  std::string resource;

  std::string_view scheduled() const;
  std::string_view started() const;
  std::string_view succeeded() const;
  std::string_view failed() const;
  std::string_view timed_out() const;
  std::string_view start_failed() const;
  /// The Task* family's events name their resource (resourceType, resource); the
  /// LambdaFunction* and Activity* families do not.
  bool names_resource() const { return !lambda_function && !activity; }
  /// `details` with resourceType and resource added when the family names them.
  boost::json::object with_resource(boost::json::object details) const;
};

TaskEvents task_events_for(std::string_view arn);

}  // namespace flowstate::runtime
