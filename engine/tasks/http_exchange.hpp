// HttpExchange: one HTTP/1.1 request and its response on a fresh TCP connection (Boost.Beast
// over Boost.Asio), as a coroutine on the caller's io_context. What Task resources that speak
// HTTP (the Lambda Invoke API) send and receive; no TLS, no redirects, no keep-alive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/result.hpp>

namespace flowstate::tasks {

struct HttpHeader {
  std::string name;  ///< as the peer spelled it
  std::string value;
};

struct HttpRequest {
  std::string method = "POST";
  std::string target;  ///< path and query, already encoded
  std::string host;    ///< the Host header
  std::vector<HttpHeader> headers;
  std::string body;
};

struct HttpResponse {
  unsigned status = 0;
  std::vector<HttpHeader> headers;  ///< in the order received
  std::string body;

  /// The first header called `name` (case-insensitive), or null.
  const std::string* header(std::string_view name) const;
};

/// Sends `request` to `peer` and reads the response. An I/O failure (connection refused,
/// reset, a malformed response) is the error code; cancellation through the awaiting
/// coroutine's slot throws boost::system::system_error(operation_aborted), as any Asio
/// operation does.
boost::asio::awaitable<boost::system::result<HttpResponse>> exchange_http(
    boost::asio::ip::tcp::endpoint peer, HttpRequest request);

}  // namespace flowstate::tasks
