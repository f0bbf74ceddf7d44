#include "engine/tasks/http_exchange.hpp"

#include <utility>

#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace flowstate::tasks {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

/// A Lambda response payload is at most 6 MB (AWS's limit); leave room for emulators.
constexpr std::uint64_t kMaxBodyBytes = 64ull * 1024 * 1024;

/// Cancellation is the caller's to see, as an exception; other failures are values.
void throw_if_aborted(const boost::system::error_code& error) {
  if (error == asio::error::operation_aborted) throw boost::system::system_error(error);
}

}  // namespace

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& header : headers)
    if (boost::beast::iequals(header.name, name)) return &header.value;
  return nullptr;
}

asio::awaitable<boost::system::result<HttpResponse>> exchange_http(asio::ip::tcp::endpoint peer,
                                                                   HttpRequest request) {
  asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_error] = co_await socket.async_connect(peer, kNoThrow);
  throw_if_aborted(connect_error);
  if (connect_error) co_return connect_error;

  http::request<http::string_body> message(http::string_to_verb(request.method), request.target, 11);
  message.set(http::field::host, request.host);
  message.set(http::field::user_agent, "flowstate");
  message.set(http::field::connection, "close");
  for (auto& header : request.headers) message.set(header.name, header.value);
  message.body() = std::move(request.body);
  message.prepare_payload();
  auto [write_error, written] = co_await http::async_write(socket, message, kNoThrow);
  throw_if_aborted(write_error);
  if (write_error) co_return write_error;

  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBodyBytes);
  auto [read_error, read] = co_await http::async_read(socket, buffer, parser, kNoThrow);
  throw_if_aborted(read_error);
  if (read_error) co_return read_error;

  HttpResponse response;
  auto& received = parser.get();
  response.status = received.result_int();
  for (const auto& field : received)
    response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  response.body = std::move(received.body());
  boost::system::error_code ignored;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return response;
}

}  // namespace flowstate::tasks
