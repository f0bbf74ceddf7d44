// Tests of the Lambda resources (function ARNs and lambda:invoke) against a real HTTP
// server on 127.0.0.1 (test/harness/lambda_emulator.hpp): requests, results, function
// errors, service errors, an endpoint that is down, timeouts and cancellation.
#include "engine/tasks/lambda_invoke.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/json_codec.hpp"
#include "test/harness/lambda_emulator.hpp"

namespace flowstate::tasks {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using test::LambdaEmulator;

json::value parse(std::string_view text) {
  auto parsed = data::parse_json(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

LambdaEndpoint endpoint_at(const std::string& url) {
  auto endpoint = LambdaEndpoint::parse(url);
  REQUIRE(endpoint.has_value());
  return *endpoint;
}

TaskRequest request_for(std::string resource, std::string_view parameters) {
  TaskRequest request;
  request.resource = std::move(resource);
  request.state_name = "Invoke";
  request.parameters = parse(parameters);
  return request;
}

TaskRequest function_request(std::string_view function, std::string_view input) {
  return request_for("arn:aws:lambda:us-east-1:123456789012:function:" + std::string(function), input);
}

TaskRequest invoke_request(std::string_view parameters) {
  return request_for(std::string(kLambdaInvokeResource), parameters);
}

TaskResult invoke(const std::string& url, TaskRequest request) {
  LambdaInvoke lambda(endpoint_at(url));
  asio::io_context io;
  std::optional<TaskResult> result;
  asio::co_spawn(io, lambda.run(std::move(request)), [&](std::exception_ptr error, TaskResult done) {
    if (error) std::rethrow_exception(error);
    result = std::move(done);
  });
  io.run();
  return std::move(*result);
}

asl::Failure failure_of(const TaskResult& result) {
  REQUIRE_FALSE(result.has_value());
  return result.error();
}

TEST_CASE("LambdaInvoke: a function ARN sends the effective input and returns the payload",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  TaskResult result = invoke(emulator.url(), function_request("identity", R"({"n": 1.0, "s": "é"})"));
  REQUIRE(result.has_value());
  CHECK(data::serialize_json(*result) == R"({"n":1.0,"s":"é"})");
  auto requests = emulator.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/2015-03-31/functions/identity/invocations");
  CHECK(requests[0].body == R"({"n":1.0,"s":"é"})");
  CHECK(requests[0].headers.at("x-amz-invocation-type") == "RequestResponse");
  CHECK(requests[0].headers.count("authorization") == 0);
}

TEST_CASE("LambdaInvoke: a qualified function ARN sends the qualifier, percent-encoded",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  REQUIRE(invoke(emulator.url(), function_request("identity:$LATEST", "{}")).has_value());
  CHECK(emulator.requests().at(0).target == "/2015-03-31/functions/identity/invocations?Qualifier=%24LATEST");
}

TEST_CASE("LambdaInvoke: lambda:invoke returns the Invoke response as AWS shapes it",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  TaskResult result = invoke(emulator.url(), invoke_request(R"({
      "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:identity",
      "Payload": {"body": "string body"}})"));
  REQUIRE(result.has_value());
  const json::object& response = result->as_object();
  CHECK(response.at("ExecutedVersion") == "$LATEST");
  CHECK(data::serialize_json(response.at("Payload")) == R"({"body":"string body"})");
  const json::object& metadata = response.at("SdkHttpMetadata").as_object();
  CHECK(metadata.at("HttpStatusCode") == 200);
  CHECK(metadata.at("HttpHeaders").at("x-amzn-RequestId") == "req-1");
  CHECK(data::serialize_json(metadata.at("AllHttpHeaders").at("X-Amz-Executed-Version")) == R"(["$LATEST"])");
  CHECK(data::serialize_json(response.at("SdkResponseMetadata")) == R"({"RequestId":"req-1"})");
  CHECK(response.at("StatusCode") == 200);
  std::vector<std::string> keys;
  for (const auto& member : response) keys.emplace_back(member.key());
  CHECK(keys == std::vector<std::string>{"ExecutedVersion", "Payload", "SdkHttpMetadata",
                                         "SdkResponseMetadata", "StatusCode"});
  CHECK(emulator.requests().at(0).target == "/2015-03-31/functions/identity/invocations");
}

TEST_CASE("LambdaInvoke: lambda:invoke's Payload, Qualifier and FunctionName forms",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  SECTION("no Payload sends {}") {
    REQUIRE(invoke(emulator.url(), invoke_request(R"({"FunctionName": "identity"})")).has_value());
    CHECK(emulator.requests().at(0).body == "{}");
  }
  SECTION("a string Payload is sent as its text, as AWS does") {
    TaskResult result = invoke(emulator.url(), invoke_request(R"({"FunctionName": "identity", "Payload": "\"HelloWorld\""})"));
    REQUIRE(result.has_value());
    CHECK(emulator.requests().at(0).body == R"("HelloWorld")");
    CHECK(result->at("Payload") == "HelloWorld");
  }
  SECTION("a partial ARN with a qualifier, overridden by Qualifier") {
    REQUIRE(invoke(emulator.url(), invoke_request(R"({"FunctionName": "123456789012:function:identity:v1", "Qualifier": "live"})"))
                .has_value());
    CHECK(emulator.requests().at(0).target == "/2015-03-31/functions/identity/invocations?Qualifier=live");
  }
  SECTION("NAME:QUALIFIER") {
    REQUIRE(invoke(emulator.url(), invoke_request(R"({"FunctionName": "identity:7"})")).has_value());
    CHECK(emulator.requests().at(0).target == "/2015-03-31/functions/identity/invocations?Qualifier=7");
  }
}

TEST_CASE("LambdaInvoke: a payload that is not JSON becomes a JSON string", "[tasks][lambda]") {
  LambdaEmulator emulator;
  TaskResult result = invoke(emulator.url(), function_request("text", "{}"));
  REQUIRE(result.has_value());
  CHECK(*result == "plain text");
}

TEST_CASE("LambdaInvoke: a function error is the payload's errorType with the payload as cause",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  CHECK(failure_of(invoke(emulator.url(), function_request("raise", "{}"))) ==
        asl::Failure("ValueError", R"({"errorType": "ValueError", "errorMessage": "bad input"})"));
  CHECK(failure_of(invoke(emulator.url(), invoke_request(R"({"FunctionName": "raise"})"))) ==
        asl::Failure("ValueError", R"({"errorType": "ValueError", "errorMessage": "bad input"})"));
  CHECK(failure_of(invoke(emulator.url(), function_request("raise-untyped", "{}"))) ==
        asl::Failure("Lambda.Unknown", R"({"errorMessage": "no type"})"));
}

TEST_CASE("LambdaInvoke: an unknown function is Lambda.ResourceNotFoundException in AWS's form",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  CHECK(failure_of(invoke(emulator.url(), invoke_request(R"({"FunctionName": "nope"})"))) ==
        asl::Failure("Lambda.ResourceNotFoundException",
                     "Function not found: arn:aws:lambda:us-west-2:012345678901:function:nope "
                     "(Service: AWSLambda; Status Code: 404; Error Code: "
                     "ResourceNotFoundException; Request ID: req-1; Proxy: null)"));
}

TEST_CASE("LambdaInvoke: an endpoint that is down fails the task naming the endpoint",
          "[tasks][lambda]") {
  std::string url = LambdaEmulator::closed_url();
  CHECK(failure_of(invoke(url, function_request("identity", "{}"))) ==
        asl::Failure("States.TaskFailed", "cannot reach the Lambda endpoint " + url +
                                              " to invoke function 'identity': Connection refused"));
}

TEST_CASE("LambdaInvoke: bad lambda:invoke parameters fail the task naming the field",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  CHECK(failure_of(invoke(emulator.url(), invoke_request(R"({"Payload": {}})"))) ==
        asl::Failure("States.TaskFailed", "lambda:invoke: Parameters must hold FunctionName, the "
                                          "function's name or ARN as a string"));
  CHECK(failure_of(invoke(emulator.url(), invoke_request(R"({"FunctionName": "identity", "InvocationType": "Event"})"))) ==
        asl::Failure("States.TaskFailed", "lambda:invoke: InvocationType 'Event' is not supported; "
                                          "flowstate invokes functions with RequestResponse (the "
                                          "default)"));
  CHECK(failure_of(invoke(emulator.url(), invoke_request(R"({"FunctionName": "identity", "Qualifier": 1})"))) ==
        asl::Failure("States.TaskFailed", "lambda:invoke: Qualifier must be a string, not 1"));
  CHECK(emulator.requests().empty());
}

TEST_CASE("LambdaInvoke: TimeoutSeconds drops a slow invocation with States.Timeout",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  TaskRequest request = function_request("slow", "{}");
  request.timeout = std::chrono::seconds(1);
  auto start = std::chrono::steady_clock::now();
  CHECK(failure_of(invoke(emulator.url(), std::move(request))) ==
        asl::Failure("States.Timeout",
                     "Lambda function 'slow' did not answer within 1 second (TimeoutSeconds)"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
}

TEST_CASE("LambdaInvoke: cancellation drops the invocation and throws operation_aborted",
          "[tasks][lambda]") {
  LambdaEmulator emulator;
  LambdaInvoke lambda(endpoint_at(emulator.url()));
  asio::io_context io;
  asio::cancellation_signal cancel;
  asio::steady_timer soon(io, std::chrono::milliseconds(200));
  soon.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
  std::exception_ptr error;
  bool completed = false;
  auto start = std::chrono::steady_clock::now();
  asio::co_spawn(io, lambda.run(function_request("slow", "{}")),
                 asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e, TaskResult) {
                   error = e;
                   completed = true;
                 }));
  io.run();
  REQUIRE(completed);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  REQUIRE(error);
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& aborted) {
    CHECK(aborted.code() == asio::error::operation_aborted);
  }
}

TEST_CASE("is_lambda_function_arn: function ARNs with and without a qualifier", "[tasks][lambda]") {
  CHECK(is_lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:f"));
  CHECK(is_lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"));
  CHECK_FALSE(is_lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:"));
  CHECK_FALSE(is_lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:layer:f"));
  CHECK_FALSE(is_lambda_function_arn(kLambdaInvokeResource));
  CHECK(is_lambda_resource(kLambdaInvokeResource));
}

}  // namespace
}  // namespace flowstate::tasks
