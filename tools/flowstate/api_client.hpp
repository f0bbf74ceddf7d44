// ApiClient: the CLI's calls to a server's AWS Step Functions API (AWS JSON 1.0) — a
// flowstate server or Step Functions Local — each a blocking POST; signed with Signature
// Version 4 when AWS credentials are in the environment, as the AWS CLI signs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include "engine/tasks/aws_request_signer.hpp"
#include "engine/tasks/http_exchange.hpp"
#include "engine/tasks/lambda_endpoint.hpp"

namespace flowstate::cli {

struct ApiReply {
  unsigned status = 0;             ///< HTTP status; 0 when the server could not be reached
  boost::json::object body;        ///< the response object (200)
  std::string error;               ///< the error's __type without its namespace, or "HTTP nnn"
  std::string message;             ///< the error's message, or why the server was not reached

  bool ok() const { return status == 200; }
};

class ApiClient {
 public:
  /// `url`: http://HOST:PORT[/PATH]; the error says what is wrong with it.
  static boost::system::result<ApiClient, std::string> parse(std::string_view url);

  /// Calls `action` ("SendTaskSuccess", ...) with `body`; `headers` go with the request.
  ApiReply call(std::string_view action, const boost::json::object& body,
                std::vector<tasks::HttpHeader> headers = {}) const;
  /// The same with the whole X-Amz-Target ("Flowstate.StartDefinition", ...).
  ApiReply call_target(std::string_view target, const boost::json::object& body,
                       std::vector<tasks::HttpHeader> headers = {}) const;

  const std::string& url() const { return endpoint_.url; }

 private:
  tasks::LambdaEndpoint endpoint_;
  std::optional<tasks::AwsCredentials> credentials_;
};

}  // namespace flowstate::cli
