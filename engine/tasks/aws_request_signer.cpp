#include "engine/tasks/aws_request_signer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "engine/data/digest.hpp"
#include "engine/data/signature_v4.hpp"

namespace flowstate::tasks {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<AwsCredentials> AwsCredentials::from_environment() {
  AwsCredentials credentials;
  credentials.access_key_id = environment("AWS_ACCESS_KEY_ID");
  credentials.secret_access_key = environment("AWS_SECRET_ACCESS_KEY");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) return std::nullopt;
  credentials.session_token = environment("AWS_SESSION_TOKEN");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (std::string region = environment(name); !region.empty()) {
      credentials.region = region;
      break;
    }
  return credentials;
}

void sign_request(HttpRequest& request, const AwsCredentials& credentials, std::string_view service,
                  std::chrono::system_clock::time_point now) {
  std::string date = data::amz_date(now);
  request.headers.push_back({"X-Amz-Date", date});
  if (!credentials.session_token.empty()) request.headers.push_back({"X-Amz-Security-Token", credentials.session_token});
  std::string scope = fmt::format("{}/{}/{}/aws4_request", date.substr(0, 8), credentials.region, service);
  data::SignatureV4Input input{request.method, request.target, {{"host", request.host}}, {}, date, scope};
  for (const HttpHeader& header : request.headers) {
    std::string name = lower(header.name);
    if (name.starts_with("x-amz-") || name == "content-type") input.headers.emplace_back(name, header.value);
  }
  std::sort(input.headers.begin(), input.headers.end());
  input.payload_hash = data::hex_digest(data::DigestAlgorithm::sha256, request.body);
  std::string signed_names;
  for (const auto& header : input.headers) signed_names += (signed_names.empty() ? "" : ";") + header.first;
  request.headers.push_back(
      {"Authorization", fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", data::kSignatureV4Algorithm,
                                    credentials.access_key_id, scope, signed_names,
                                    data::signature_v4(credentials.secret_access_key, input))});
}

}  // namespace flowstate::tasks
