#include "engine/server/request_signature.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "engine/data/digest.hpp"
#include "engine/data/signature_v4.hpp"

namespace flowstate::server {

namespace {

constexpr auto kClockSkew = std::chrono::minutes(15);

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value after "NAME=" in the Authorization header's comma-separated parameters.
std::string parameter(std::string_view authorization, std::string_view name) {
  std::string key = std::string(name) + "=";
  auto at = authorization.find(key);
  if (at == std::string_view::npos) return {};
  auto rest = authorization.substr(at + key.size());
  return std::string(trim(rest.substr(0, rest.find(','))));
}

ApiError forbidden(std::string code, std::string message) { return ApiError(std::move(code), message, 403); }

}  // namespace

std::optional<RequestSignature> RequestSignature::load(const std::string& path, std::string& problem) {
  std::ifstream in(path);
  if (!in) {
    problem = fmt::format("cannot read the credentials file '{}'", path);
    return std::nullopt;
  }
  RequestSignature signature;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    std::istringstream words{std::string(text)};
    std::string id, secret, extra;
    if (!(words >> id >> secret) || (words >> extra)) {
      problem = fmt::format("{}:{}: expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY'", path, number);
      return std::nullopt;
    }
    signature.secrets_[id] = secret;
  }
  if (signature.secrets_.empty()) {
    problem = fmt::format("the credentials file '{}' names no access key", path);
    return std::nullopt;
  }
  return signature;
}

std::optional<ApiError> RequestSignature::check(const SignedRequest& request,
                                                std::chrono::system_clock::time_point now) const {
  auto authorization = request.header("Authorization");
  if (!authorization || !authorization->starts_with(data::kSignatureV4Algorithm))
    return forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
  std::string credential = parameter(*authorization, "Credential");
  std::string signed_headers = parameter(*authorization, "SignedHeaders");
  std::string signature = parameter(*authorization, "Signature");
  // Credential: ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request
  auto slash = credential.find('/');
  auto date = request.header("X-Amz-Date");
  if (slash == std::string::npos || signed_headers.empty() || signature.empty() || !date)
    return forbidden("IncompleteSignatureException",
                     "Authorization header requires Credential, SignedHeaders and Signature, and X-Amz-Date");
  std::string id = credential.substr(0, slash);
  std::string scope = credential.substr(slash + 1);
  auto secret = secrets_.find(id);
  if (secret == secrets_.end())
    return forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
  if (std::count(scope.begin(), scope.end(), '/') != 3)
    return forbidden("IncompleteSignatureException", fmt::format("Invalid credential scope '{}'", scope));

  data::SignatureV4Input signed_input{request.method, request.target, {}, {}, *date, scope};
  for (std::size_t start = 0;;) {
    auto end = signed_headers.find(';', start);
    std::string name = signed_headers.substr(start, end == std::string::npos ? std::string::npos : end - start);
    signed_input.headers.emplace_back(name, request.header(name).value_or(""));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  signed_input.payload_hash = request.header("X-Amz-Content-Sha256")
                                  .value_or(data::hex_digest(data::DigestAlgorithm::sha256, request.body));
  if (data::signature_v4(secret->second, signed_input) != signature)
    return forbidden("InvalidSignatureException",
                     "The request signature we calculated does not match the signature you provided. Check "
                     "your AWS Secret Access Key and signing method.");
  // AWS refuses a request signed more than 15 minutes before or after its own clock.
  auto signed_at = data::parse_amz_date(*date);
  if (!signed_at)
    return forbidden("IncompleteSignatureException",
                     fmt::format("Date must be in ISO-8601 'basic format'. Got '{}'.", *date));
  std::string current = data::amz_date(now);
  if (*signed_at < now - kClockSkew)
    return forbidden("InvalidSignatureException",
                     fmt::format("Signature expired: {} is now earlier than {} ({} - 15 min.)", *date,
                                 data::amz_date(now - kClockSkew), current));
  if (*signed_at > now + kClockSkew)
    return forbidden("InvalidSignatureException",
                     fmt::format("Signature not yet current: {} is still later than {} ({} + 15 min.)", *date,
                                 data::amz_date(now + kClockSkew), current));
  return std::nullopt;
}

}  // namespace flowstate::server
