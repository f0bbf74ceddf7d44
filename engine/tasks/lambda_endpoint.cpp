#include "engine/tasks/lambda_endpoint.hpp"

#include <charconv>

#include <fmt/format.h>

namespace flowstate::tasks {

namespace {

constexpr std::string_view kScheme = "http://";

using Parsed = boost::system::result<LambdaEndpoint, std::string>;

Parsed refused(std::string message) { return Parsed(boost::system::in_place_error, std::move(message)); }

}  // namespace

Parsed LambdaEndpoint::parse(std::string_view url) {
  constexpr std::string_view kExample = "e.g. http://127.0.0.1:3001";
  if (url.starts_with("https://"))
    return refused(fmt::format("https is not supported (local Lambda emulators speak http); {}",
                               kExample));
  if (!url.starts_with(kScheme))
    return refused(fmt::format("the URL must start with http://, {}", kExample));
  LambdaEndpoint endpoint;
  endpoint.url = std::string(url);
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos)
    return refused(fmt::format("the URL must have no query or fragment, {}", kExample));
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (path.ends_with('/')) path.remove_suffix(1);
    endpoint.path = std::string(path);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return refused(fmt::format("the IPv6 address has no ']', {}", kExample));
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return refused(fmt::format("expected ':PORT' after the IPv6 address, {}", kExample));
    if (!after.empty()) port = after.substr(1);
  } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return refused(fmt::format("the URL names no host, {}", kExample));
  if (!port.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      return refused(fmt::format("the port '{}' is not a number from 1 to 65535, {}", port, kExample));
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  boost::system::error_code invalid;
  endpoint.address = host == "localhost" ? boost::asio::ip::make_address("127.0.0.1")
                                         : boost::asio::ip::make_address(std::string(host), invalid);
  if (invalid)
    return refused(fmt::format("the host '{}' must be an IP address or localhost (flowstate does not "
                       "resolve host names), {}",
                       host, kExample));
  endpoint.host = std::string(authority);
  return endpoint;
}

}  // namespace flowstate::tasks
