// AWS Signature Version 4 (AWS4-HMAC-SHA256): the signature of an HTTP request as the AWS
// SDKs compute it, for the server that verifies requests and for the clients that sign them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowstate::data {

inline constexpr std::string_view kSignatureV4Algorithm = "AWS4-HMAC-SHA256";

/// What a signature covers.
struct SignatureV4Input {
  std::string_view method;
  std::string_view target;  ///< path and query, as sent ("/", "/bucket/key?list-type=2")
  /// The signed headers, names in lower case and in the order of SignedHeaders (sorted),
  /// values as sent (trimmed and with runs of spaces collapsed here).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_hash;  ///< hex SHA-256 of the body (or X-Amz-Content-Sha256)
  std::string_view date;     ///< X-Amz-Date, YYYYMMDD'T'HHMMSS'Z'
  std::string_view scope;    ///< DATE/REGION/SERVICE/aws4_request
};

/// The hex signature of `input` with `secret` (the secret access key).
std::string signature_v4(std::string_view secret, const SignatureV4Input& input);

/// `when` as X-Amz-Date writes it: 20261206T001500Z.
std::string amz_date(std::chrono::system_clock::time_point when);
/// An X-Amz-Date value; nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view text);

}  // namespace flowstate::data
