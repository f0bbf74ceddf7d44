// RequestSignature: checks the AWS Signature Version 4 of each request against a credentials
// file (--credentials FILE: one "ACCESS_KEY_ID SECRET_ACCESS_KEY" pair per line, '#'
// comments), as Step Functions does: an unknown key is UnrecognizedClientException, a wrong
// signature InvalidSignatureException, no signature MissingAuthenticationTokenException (403).
// A request signed more than 15 minutes away from the server's clock is
// InvalidSignatureException ("Signature expired"), as on AWS.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

/// What the signature covers, read from the HTTP request.
struct SignedRequest {
  std::string_view method;
  std::string_view target;  ///< path and query, e.g. "/"
  /// The value of a header (case-insensitive name), or nullopt.
  std::function<std::optional<std::string>(std::string_view name)> header;
  std::string_view body;
};

class RequestSignature {
 public:
  /// Reads the credentials file; nullopt and `problem` set when it cannot be read or has none.
  static std::optional<RequestSignature> load(const std::string& path, std::string& problem);

  /// The error to answer, or nullopt when the request is signed by a known key.
  std::optional<ApiError> check(const SignedRequest& request, std::chrono::system_clock::time_point now) const;

 private:
  std::map<std::string, std::string, std::less<>> secrets_;  ///< access key id → secret
};

}  // namespace flowstate::server
