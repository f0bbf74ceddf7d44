#include "engine/data/signature_v4.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "engine/data/digest.hpp"

namespace flowstate::data {

namespace {

std::string hex(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

std::string canonical_value(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string out(value);
  out.erase(std::unique(out.begin(), out.end(), [](char a, char b) { return a == ' ' && b == ' '; }), out.end());
  return out;
}

}  // namespace

std::string signature_v4(std::string_view secret, const SignatureV4Input& input) {
  std::string_view target = input.target;
  auto question = target.find('?');
  std::string canonical = fmt::format(
      "{}\n{}\n{}\n", input.method, target.substr(0, question),
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1));
  std::string signed_names;
  for (const auto& [name, value] : input.headers) {
    canonical += fmt::format("{}:{}\n", name, canonical_value(value));
    signed_names += (signed_names.empty() ? "" : ";") + name;
  }
  canonical += fmt::format("\n{}\n{}", signed_names, input.payload_hash);
  std::string to_sign = fmt::format("{}\n{}\n{}\n{}", kSignatureV4Algorithm, input.date, input.scope,
                                    hex_digest(DigestAlgorithm::sha256, canonical));
  std::string key = "AWS4" + std::string(secret);
  std::string_view scope = input.scope;
  for (std::size_t start = 0; start <= scope.size();) {
    auto end = std::min(scope.find('/', start), scope.size());
    key = hmac_sha256(key, scope.substr(start, end - start));
    start = end + 1;
  }
  return hex(hmac_sha256(key, to_sign));
}

std::string amz_date(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%Y%m%dT%H%M%SZ}", std::chrono::floor<std::chrono::seconds>(when));
}

std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    auto [end, error] = std::from_chars(text.data() + at, text.data() + at + length, value);
    if (error != std::errc() || end != text.data() + at + length) return std::nullopt;
    return value;
  };
  auto year = number(0, 4), month = number(4, 2), day = number(6, 2);
  auto hour = number(9, 2), minute = number(11, 2), second = number(13, 2);
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

}  // namespace flowstate::data
