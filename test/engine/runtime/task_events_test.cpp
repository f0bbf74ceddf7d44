// task_events_for: the history event family and resourceType/resource AWS records for a
// Task's Resource ARN.
#include <catch2/catch.hpp>

#include "engine/runtime/task_events.hpp"

namespace flowstate::runtime {
namespace {

TEST_CASE("task_events_for: a Lambda function ARN records LambdaFunction* events", "[history]") {
  for (std::string_view arn : {"arn:aws:lambda:us-east-1:111111111111:function:f",
                               "arn:aws:lambda:eu-west-1:123456789012:function:f:live"}) {
    TaskEvents events = task_events_for(arn);
    CHECK(events.lambda_function);
    CHECK(events.scheduled() == "LambdaFunctionScheduled");
    CHECK(events.started() == "LambdaFunctionStarted");
    CHECK(events.succeeded() == "LambdaFunctionSucceeded");
    CHECK(events.failed() == "LambdaFunctionFailed");
    CHECK(events.timed_out() == "LambdaFunctionTimedOut");
    CHECK(events.start_failed() == "LambdaFunctionStartFailed");
  }
  CHECK_FALSE(task_events_for("arn:aws:lambda:us-east-1:111111111111:layer:x").lambda_function);
  CHECK_FALSE(task_events_for("arn:aws:lambda:us-east-1:111111111111:function:").lambda_function);
}

TEST_CASE("task_events_for: service integrations record Task* events with their service and "
          "action",
          "[history]") {
  auto check = [](std::string_view arn, std::string_view type, std::string_view resource) {
    TaskEvents events = task_events_for(arn);
    CHECK_FALSE(events.lambda_function);
    CHECK(events.resource_type == type);
    CHECK(events.resource == resource);
    CHECK(events.scheduled() == "TaskScheduled");
    CHECK(events.failed() == "TaskFailed");
  };
  check("arn:aws:states:::lambda:invoke", "lambda", "invoke");
  check("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "invoke.waitForTaskToken");
  check("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution.sync:2");
  check("arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3", "getObject");
  check("arn:flowstate:::command", "flowstate", "arn:flowstate:::command");
  check("arn:aws:states:::nonsense", "flowstate", "arn:aws:states:::nonsense");
}

}  // namespace
}  // namespace flowstate::runtime
