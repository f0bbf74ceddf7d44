#include "engine/tasks/lambda_invoke.hpp"

#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/tasks/http_exchange.hpp"

namespace flowstate::tasks {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr std::string_view kLambdaArnPrefix = "arn:aws:lambda:";
constexpr std::string_view kFunction = "function:";

/// The function an invocation calls: its name, and the version or alias when one is named.
struct FunctionReference {
  std::string name;
  std::string qualifier;
};

/// After "function:": NAME[:QUALIFIER].
FunctionReference split_qualifier(std::string_view rest) {
  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return {std::string(rest), {}};
  return {std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

/// A FunctionName as the Invoke API takes it: NAME, NAME:QUALIFIER,
/// ACCOUNT:function:NAME[:QUALIFIER] or arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
FunctionReference function_reference(std::string_view text) {
  constexpr std::string_view kMarker = ":function:";
  std::size_t function = text.find(kMarker);
  if (function != std::string_view::npos) return split_qualifier(text.substr(function + kMarker.size()));
  return split_qualifier(text);
}

/// Percent-encodes all but RFC 3986's unreserved characters.
std::string percent_encoded(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

asl::Failure task_failed(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kTaskFailed), std::move(cause));
}

/// What one invocation sends, and how its result is shaped.
struct Invocation {
  FunctionReference function;
  std::string payload;
  std::vector<HttpHeader> headers;
  bool integration = false;  ///< lambda:invoke: the result is the Invoke response object
};

boost::system::result<Invocation, asl::Failure> invocation_for(const TaskRequest& request) {
  Invocation invocation;
  if (is_lambda_function_arn(request.resource)) {
    invocation.function = function_reference(request.resource);
    invocation.payload = data::serialize_json(request.parameters);
    return invocation;
  }
  invocation.integration = true;
  const json::object* parameters = request.parameters.if_object();
  const json::value* name = parameters ? parameters->if_contains("FunctionName") : nullptr;
  if (!name || !name->is_string() || name->get_string().empty())
    return task_failed("lambda:invoke: Parameters must hold FunctionName, the function's name or "
                       "ARN as a string");
  invocation.function = function_reference(name->get_string());
  using Text = boost::system::result<std::optional<std::string>, asl::Failure>;
  auto text_parameter = [&](std::string_view field) -> Text {
    const json::value* value = parameters->if_contains(field);
    if (!value) return std::optional<std::string>();
    if (!value->is_string())
      return task_failed(fmt::format("lambda:invoke: {} must be a string, not {}", field,
                                     data::serialize_json(*value)));
    return std::optional<std::string>(std::string(value->get_string()));
  };
  auto qualifier = text_parameter("Qualifier");
  if (!qualifier) return qualifier.error();
  if (*qualifier) invocation.function.qualifier = **qualifier;
  auto type = text_parameter("InvocationType");
  if (!type) return type.error();
  if (*type && **type != "RequestResponse")
    return task_failed(fmt::format("lambda:invoke: InvocationType '{}' is not supported; flowstate "
                                   "invokes functions with RequestResponse (the default)",
                                   **type));
  for (auto [field, header] : {std::pair{"LogType", "X-Amz-Log-Type"},
                               std::pair{"ClientContext", "X-Amz-Client-Context"}}) {
    auto value = text_parameter(field);
    if (!value) return value.error();
    if (*value) invocation.headers.push_back({header, **value});
  }
  const json::value* payload = parameters->if_contains("Payload");
  if (!payload) invocation.payload = "{}";
  else if (payload->is_string()) invocation.payload = std::string(payload->get_string());
  else invocation.payload = data::serialize_json(*payload);
  return invocation;
}

/// The response body as the result's payload: JSON, else the text as a string.
json::value payload_of(const std::string& body) {
  if (body.empty()) return nullptr;
  if (auto parsed = data::parse_json(body)) return std::move(*parsed);
  return json::string(body);
}

/// lambda:invoke's result, as AWS returns it (conformance cases lambda/base_scenarios.*).
json::value invoke_response(const HttpResponse& response, json::value payload) {
  json::object all, single;
  for (const auto& header : response.headers) {
    json::value& values = all[header.name];
    if (!values.is_array()) values = json::array();
    values.as_array().emplace_back(header.value);
    if (!single.contains(header.name)) single[header.name] = header.value;
  }
  const std::string* version = response.header("X-Amz-Executed-Version");
  const std::string* log = response.header("X-Amz-Log-Result");
  const std::string* request_id = response.header("x-amzn-RequestId");
  json::object result;
  result["ExecutedVersion"] = version ? *version : "$LATEST";
  if (log) result["LogResult"] = *log;
  result["Payload"] = std::move(payload);
  result["SdkHttpMetadata"] = json::object{{"AllHttpHeaders", std::move(all)},
                                           {"HttpHeaders", std::move(single)},
                                           {"HttpStatusCode", response.status}};
  result["SdkResponseMetadata"] = json::object{{"RequestId", request_id ? *request_id : ""}};
  result["StatusCode"] = response.status;
  return result;
}

/// The function raised: its error payload names the error (AWS: "errorType"; cases
/// lambda/task_lambda.raise_exception, task_service_lambda.raise_exception).
asl::Failure function_error(const HttpResponse& response) {
  std::string error = "Lambda.Unknown";
  if (auto parsed = data::parse_json(response.body); parsed && parsed->is_object())
    if (const json::value* type = parsed->as_object().if_contains("errorType"); type && type->is_string())
      error = std::string(type->get_string());
  return asl::Failure(std::move(error), response.body);
}

/// The Lambda service refused the call (case lambda/task_service_lambda.no_such_function:
/// "Function not found: ARN (Service: AWSLambda; Status Code: 404; Error Code:
/// ResourceNotFoundException; Request ID: ...; Proxy: null)").
asl::Failure service_error(const HttpResponse& response) {
  std::string code;
  if (const std::string* type = response.header("X-Amzn-ErrorType"))
    code = type->substr(0, type->find(':'));  // AWS may append ":http://internal.amazon.com/..."
  if (code.empty())
    code = response.status == 404   ? "ResourceNotFoundException"
           : response.status == 429 ? "TooManyRequestsException"
                                    : "ServiceException";
  if (!code.ends_with("Exception")) code += "Exception";
  std::string message = response.body;
  if (auto parsed = data::parse_json(response.body); parsed && parsed->is_object()) {
    for (std::string_view key : {"Message", "message", "errorMessage"})
      if (const json::value* text = parsed->as_object().if_contains(key); text && text->is_string()) {
        message = std::string(text->get_string());
        break;
      }
  }
  const std::string* request_id = response.header("x-amzn-RequestId");
  return asl::Failure(
      fmt::format("Lambda.{}", code),
      fmt::format("{}{}(Service: AWSLambda; Status Code: {}; Error Code: {}; Request ID: {}; Proxy: null)",
                  message, message.empty() ? "" : " ", response.status, code,
                  request_id ? *request_id : ""));
}

}  // namespace

bool is_lambda_function_arn(std::string_view arn) {
  if (!arn.starts_with(kLambdaArnPrefix)) return false;
  std::string_view rest = arn.substr(kLambdaArnPrefix.size());
  for (int field = 0; field < 2; ++field) {  // region, account
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
  return rest.starts_with(kFunction) && rest.size() > kFunction.size();
}

bool is_lambda_resource(std::string_view arn) {
  return arn == kLambdaInvokeResource || is_lambda_function_arn(arn);
}

void add_lambda_invoke(ResourceRegistry& registry, LambdaEndpoint endpoint) {
  auto resource = std::make_shared<LambdaInvoke>(std::move(endpoint));
  registry.add(std::string(kLambdaInvokeResource), resource);
  registry.add_matching(is_lambda_function_arn, std::move(resource));
}

asio::awaitable<TaskResult> LambdaInvoke::run(TaskRequest request) {
  auto invocation = invocation_for(request);
  if (!invocation) co_return invocation.error();
  HttpRequest http;
  http.target = fmt::format("{}/2015-03-31/functions/{}/invocations", endpoint_.path,
                            percent_encoded(invocation->function.name));
  if (!invocation->function.qualifier.empty())
    http.target += "?Qualifier=" + percent_encoded(invocation->function.qualifier);
  http.host = endpoint_.host;
  http.headers = std::move(invocation->headers);
  http.headers.push_back({"X-Amz-Invocation-Type", "RequestResponse"});
  http.headers.push_back({"Content-Type", "application/json"});
  http.body = std::move(invocation->payload);
  asio::ip::tcp::endpoint peer(endpoint_.address, endpoint_.port);

  boost::system::result<HttpResponse> response = boost::system::error_code();
  if (request.timeout) {
    // TimeoutSeconds: the first to finish wins, the other is cancelled (the connection is
    // dropped; the function may still run on the emulator, as it would on AWS).
    asio::steady_timer timer(co_await asio::this_coro::executor, *request.timeout);
    auto winner = co_await (exchange_http(peer, std::move(http)) || timer.async_wait(asio::use_awaitable));
    if (winner.index() == 1)
      co_return asl::Failure(std::string(asl::error_name::kTimeout),
                             fmt::format("Lambda function '{}' did not answer within {} "
                                         "(TimeoutSeconds)",
                                         invocation->function.name, seconds_text(*request.timeout)));
    response = std::move(std::get<0>(winner));
  } else {
    response = co_await exchange_http(peer, std::move(http));
  }
  if (!response) {
    if (response.error() == asio::error::connection_refused)
      co_return task_failed(fmt::format("cannot reach the Lambda endpoint {} to invoke function "
                                        "'{}': {}",
                                        endpoint_.url, invocation->function.name,
                                        response.error().message()));
    co_return task_failed(fmt::format("the Lambda endpoint {} failed invoking function '{}': {}",
                                      endpoint_.url, invocation->function.name,
                                      response.error().message()));
  }
  if (response->header("X-Amz-Function-Error")) co_return function_error(*response);
  if (response->status < 200 || response->status > 299) co_return service_error(*response);
  json::value payload = payload_of(response->body);
  if (!invocation->integration) co_return payload;
  co_return invoke_response(*response, std::move(payload));
}

}  // namespace flowstate::tasks
