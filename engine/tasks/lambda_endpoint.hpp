// LambdaEndpoint: where Lambda functions are invoked (`--lambda-endpoint URL`): a local
// emulator of the Lambda Invoke API, such as `sam local start-lambda` (http://127.0.0.1:3001)
// or LocalStack (http://127.0.0.1:4566).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>
#include <boost/system/result.hpp>

namespace flowstate::tasks {

struct LambdaEndpoint {
  std::string url;                   ///< as given, e.g. "http://127.0.0.1:3001"
  boost::asio::ip::address address;  ///< the host, an IP address ("localhost" → 127.0.0.1)
  std::uint16_t port = 80;
  std::string host;                  ///< the Host header: "127.0.0.1:3001"
  std::string path;                  ///< a path prefix without the trailing '/', usually ""

  /// `http://HOST[:PORT][/PATH]`, HOST an IPv4 address, an IPv6 one in brackets or
  /// `localhost`. Host names are not resolved: the flowstate binary is linked statically
  /// and does no name-service lookups (cmake/Dependencies.cmake). The error says what is
  /// wrong and what would be right, without naming the option.
  static boost::system::result<LambdaEndpoint, std::string> parse(std::string_view url);
};

}  // namespace flowstate::tasks
