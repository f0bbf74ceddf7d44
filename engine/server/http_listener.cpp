#include "engine/server/http_listener.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "engine/server/server_presence.hpp"

namespace flowstate::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

http::response<http::string_body> to_response(const ApiAnswer& answer, unsigned version, bool keep_alive) {
  http::response<http::string_body> response{static_cast<http::status>(answer.status), version};
  response.set(http::field::server, "flowstate");
  response.set(http::field::content_type, kContentType);
  if (!answer.error_type.empty()) response.set("x-amzn-ErrorType", answer.error_type);
  response.set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
  response.keep_alive(keep_alive);
  response.body() = answer.body;
  response.prepare_payload();
  return response;
}

// Answers a request whose body is over the limit, then reads and drops the rest of the body
// (up to 64 MiB), so that the client, still writing it, reads the answer instead of a reset.
asio::awaitable<void> refuse_too_large(tcp::socket& socket, beast::flat_buffer& buffer, std::uint64_t length) {
  ApiError too_large("ValidationException",
                     fmt::format("1 validation error detected: the request body is larger than {} bytes",
                                 kMaxRequestBytes),
                     413);
  co_await http::async_write(socket, to_response(error_answer(too_large), 11, false), kTuple);
  std::uint64_t left = std::min<std::uint64_t>(length, 64 * 1024 * 1024);
  left -= std::min<std::uint64_t>(left, buffer.size());
  std::array<char, 65536> sink;
  while (left > 0) {
    auto [error, read] = co_await socket.async_read_some(asio::buffer(sink), kTuple);
    if (error) break;
    left -= std::min<std::uint64_t>(left, read);
  }
}

}  // namespace

HttpListener::HttpListener(asio::any_io_executor executor, const tcp::endpoint& endpoint, ApiDispatcher& dispatcher,
                           const RequestSignature* signature)
    : acceptor_(executor, endpoint), dispatcher_(dispatcher), signature_(signature) {}

asio::awaitable<void> HttpListener::run() {
  while (!closed_) {
    auto [error, socket] = co_await acceptor_.async_accept(kTuple);
    if (error) {
      if (closed_ || error == asio::error::operation_aborted) break;
      continue;  // a connection that failed before it was accepted
    }
    asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
  }
}

void HttpListener::close() {
  closed_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (tcp::socket* socket : connections_) socket->close(ignored);
}

asio::awaitable<void> HttpListener::serve(tcp::socket socket) {
  connections_.insert(&socket);
  beast::flat_buffer buffer;
  while (!closed_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(boost::none);  // checked below, to answer before closing
    auto [error, bytes] = co_await http::async_read_header(socket, buffer, parser, kTuple);
    if (!error && parser.content_length() && *parser.content_length() > kMaxRequestBytes) {
      co_await refuse_too_large(socket, buffer, *parser.content_length());
      break;
    }
    parser.body_limit(kMaxRequestBytes);  // a chunked body
    if (!error) std::tie(error, bytes) = co_await http::async_read(socket, buffer, parser, kTuple);
    if (error == http::error::body_limit) {
      co_await refuse_too_large(socket, buffer, 0);
      break;
    }
    if (error) break;
    const auto& request = parser.get();
    ApiAnswer answer;
    std::optional<ApiError> refused;
    bool local = false;
    if (auto key = request.find(kStoreKeyHeader); key != request.end()) {
      local = !store_key_.empty() && key->value() == store_key_;
      if (!local) refused = ApiError("AccessDeniedException", "the store key is not this server's", 403);
    }
    if (signature_ && !local && !refused) {
      auto header = [&request](std::string_view name) -> std::optional<std::string> {
        auto found = request.find(boost::beast::string_view(name.data(), name.size()));
        if (found == request.end()) return std::nullopt;
        return std::string(found->value());
      };
      std::string_view method(request.method_string().data(), request.method_string().size());
      std::string_view target(request.target().data(), request.target().size());
      refused = signature_->check(SignedRequest{method, target, header, request.body()},
                                 std::chrono::system_clock::now());
    }
    if (refused) {
      answer = error_answer(*refused);
    } else if (request.method() != http::verb::post || request.target() != "/") {
      answer = error_answer(ApiError("UnknownOperationException",
                                     "the AWS JSON 1.0 protocol takes POST / with an X-Amz-Target header", 404));
    } else {
      auto target = request.find("X-Amz-Target");
      std::string_view action;
      if (target != request.end()) action = std::string_view(target->value().data(), target->value().size());
      answer = co_await dispatcher_.answer(action, request.body(), local);
    }
    bool keep_alive = request.keep_alive() && !closed_;
    auto [write_error, written] =
        co_await http::async_write(socket, to_response(answer, request.version(), keep_alive), kTuple);
    if (write_error || !keep_alive) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  connections_.erase(&socket);
}

}  // namespace flowstate::server
