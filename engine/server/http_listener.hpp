// HttpListener: the server's HTTP/1.1 side (Boost.Beast) — accepts connections on one
// address and answers every `POST /` through an ApiDispatcher, on keep-alive connections;
// a body over kMaxRequestBytes is refused and its connection closed.
#pragma once

#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "engine/server/api_dispatcher.hpp"
#include "engine/server/request_signature.hpp"

namespace flowstate::server {

class HttpListener {
 public:
  /// Binds and listens; throws boost::system::system_error (address in use, ...). With
  /// `signature`, every request must be signed by one of its keys.
  HttpListener(boost::asio::any_io_executor executor, const boost::asio::ip::tcp::endpoint& endpoint,
               ApiDispatcher& dispatcher, const RequestSignature* signature = nullptr);

  /// Requests that carry this key (server_presence.hpp) need no signature and may call the
  /// local actions; a request with another key is refused.
  void admit_store_key(std::string key) { store_key_ = std::move(key); }

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  /// Accepts and serves connections until close().
  boost::asio::awaitable<void> run();
  /// Stops accepting and closes every open connection.
  void close();

 private:
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  ApiDispatcher& dispatcher_;
  const RequestSignature* signature_;
  std::string store_key_;
  std::set<boost::asio::ip::tcp::socket*> connections_;
  bool closed_ = false;
};

}  // namespace flowstate::server
