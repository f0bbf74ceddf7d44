// LambdaInvoke: the Lambda resources served by a local Lambda endpoint (`--lambda-endpoint`):
// a Lambda function named by its ARN, and the `arn:aws:states:::lambda:invoke` integration.
// Each invocation is one call of the Lambda Invoke API (RequestResponse) on that endpoint.
#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "engine/tasks/lambda_endpoint.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "engine/tasks/task_resource.hpp"

namespace flowstate::tasks {

inline constexpr std::string_view kLambdaInvokeResource = "arn:aws:states:::lambda:invoke";

/// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`: a function named directly as
/// the Resource (AWS records LambdaFunction* events for it).
bool is_lambda_function_arn(std::string_view arn);

/// Whether a LambdaInvoke serves `arn`: a function ARN or lambda:invoke.
bool is_lambda_resource(std::string_view arn);

/// The contract (README "Lambda functions (--lambda-endpoint)" documents the same).
///
/// Request: POST {endpoint}/2015-03-31/functions/{NAME}/invocations[?Qualifier=Q] with
/// `X-Amz-Invocation-Type: RequestResponse`, NAME and Q percent-encoded. No Authorization
/// header: local emulators accept unsigned requests, and flowstate holds no AWS credentials.
/// - a function ARN Resource: NAME and Q from the ARN; the body is the effective input.
/// - lambda:invoke: the effective input holds `FunctionName` (a name, `NAME:QUALIFIER`, a
///   partial ARN `ACCOUNT:function:NAME[:QUALIFIER]` or a full ARN; only NAME travels, so
///   that an emulator's own region and account do not matter), optional `Qualifier` (wins
///   over one in FunctionName), `Payload` (a JSON string is sent as its text, as AWS does,
///   anything else as JSON; default {}), `InvocationType` (only "RequestResponse"),
///   `LogType` and `ClientContext` (sent as the X-Amz-Log-Type / X-Amz-Client-Context
///   headers).
///
/// Outcomes (every failure is a value; none is thrown):
/// - 2xx without X-Amz-Function-Error: the payload, parsed as JSON (a body that is not JSON
///   becomes a JSON string of its text; an empty one null). A function ARN's result is the
///   payload; lambda:invoke's is AWS's response object {ExecutedVersion, [LogResult],
///   Payload, SdkHttpMetadata {AllHttpHeaders, HttpHeaders, HttpStatusCode},
///   SdkResponseMetadata {RequestId}, StatusCode}.
/// - X-Amz-Function-Error (the function raised): Failure{the payload's "errorType", else
///   "Lambda.Unknown"; cause: the payload text}.
/// - another HTTP status: Failure{"Lambda." + the X-Amzn-ErrorType code ("Exception" added
///   when missing, so SAM's "ResourceNotFound" reads as AWS's
///   "ResourceNotFoundException"), else ResourceNotFoundException for 404,
///   TooManyRequestsException for 429, ServiceException otherwise; cause: "MESSAGE (Service:
///   AWSLambda; Status Code: N; Error Code: CODE; Request ID: ID; Proxy: null)", AWS's form}.
/// - the endpoint cannot be reached or breaks the exchange: Failure{States.TaskFailed,
///   naming the endpoint and the system's message}.
/// - bad lambda:invoke parameters (no FunctionName, another InvocationType, ...):
///   Failure{States.TaskFailed, "lambda:invoke: ..." naming the field}.
/// - TaskRequest::timeout passed: the connection is dropped → Failure{States.Timeout}.
/// - cancelled: boost::system::system_error(operation_aborted) is thrown.
class LambdaInvoke final : public TaskResource {
 public:
  explicit LambdaInvoke(LambdaEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  boost::asio::awaitable<TaskResult> run(TaskRequest request) override;

  const LambdaEndpoint& endpoint() const { return endpoint_; }

 private:
  LambdaEndpoint endpoint_;
};

/// Serves every Lambda function ARN and lambda:invoke from `endpoint`.
void add_lambda_invoke(ResourceRegistry& registry, LambdaEndpoint endpoint);

}  // namespace flowstate::tasks
