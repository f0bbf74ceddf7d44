// The credentials a client signs its AWS requests with (the AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION environment, as the AWS CLI and SDKs
// read it) and signing an HttpRequest with them (Signature Version 4).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/tasks/http_exchange.hpp"

namespace flowstate::tasks {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;         ///< "" when none
  std::string region = "us-east-1";  ///< AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1

  /// nullopt when AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is unset or empty.
  static std::optional<AwsCredentials> from_environment();
};

/// Adds X-Amz-Date (and X-Amz-Security-Token) and the Authorization header that signs the
/// request's method, target, Host, X-Amz-* and Content-Type headers and body for `service`
/// ("states", "s3", ...) at `now`.
void sign_request(HttpRequest& request, const AwsCredentials& credentials, std::string_view service,
                  std::chrono::system_clock::time_point now);

}  // namespace flowstate::tasks
