// LambdaEmulator: a small local Lambda endpoint for tests — a real HTTP server on
// 127.0.0.1 (Boost.Beast, on a thread of its own) that speaks the Lambda Invoke API the way
// `sam local start-lambda` does, with a few functions:
//   identity        returns the request payload unchanged
//   text            returns "plain text" (not JSON)
//   raise           raises: X-Amz-Function-Error: Unhandled, {"errorType": "ValueError", ...}
//   raise-untyped   raises with a payload that names no errorType
//   raise-once      raises (errorType "Flaky") on its first invocation, then is identity
//   slow            answers {"slow": true} after 5 seconds
//   slow-once       answers after 30 seconds on its first invocation, then is identity
// Any other name: 404 with SAM's ResourceNotFound error. Every response carries
// x-amzn-RequestId "req-N". It records each request it receives. Header-only test harness.
#pragma once

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace flowstate::test {

class LambdaEmulator {
 public:
  struct Request {
    std::string target;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;
  };

  LambdaEmulator() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(io_, accept(), boost::asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  LambdaEmulator(const LambdaEmulator&) = delete;
  LambdaEmulator& operator=(const LambdaEmulator&) = delete;
  ~LambdaEmulator() {
    io_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  /// A URL where nothing listens (a port bound and released again): connection refused.
  static std::string closed_url() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    std::uint16_t port = probe.local_endpoint().port();
    probe.close();
    return "http://127.0.0.1:" + std::to_string(port);
  }

 private:
  using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
  using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

  boost::asio::awaitable<void> accept() {
    while (true) {
      auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    HttpRequest request;
    co_await http::async_read(socket, buffer, request, boost::asio::use_awaitable);
    std::string function = function_of(std::string(request.target()));
    int count = 0;
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      Request seen{std::string(request.target()), {}, request.body()};
      for (const auto& field : request) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        seen.headers[name] = std::string(field.value());
      }
      requests_.push_back(std::move(seen));
      count = ++invocations_[function];
      index = requests_.size();
    }
    HttpResponse response{http::status::ok, 11};
    response.set("x-amzn-RequestId", "req-" + std::to_string(index));
    response.set("Content-Type", "application/json");
    if (function == "slow-once" && count == 1) {
      boost::asio::steady_timer timer(io_, std::chrono::seconds(30));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    if (function == "identity" || (function.ends_with("-once") && count > 1)) {
      response.set("X-Amz-Executed-Version", "$LATEST");
      response.body() = request.body();
    } else if (function == "text") {
      response.body() = "plain text";
    } else if (function == "raise" || function == "raise-once") {
      response.set("X-Amz-Function-Error", "Unhandled");
      response.body() = function == "raise"
                            ? R"({"errorType": "ValueError", "errorMessage": "bad input"})"
                            : R"({"errorType": "Flaky", "errorMessage": "try again"})";
    } else if (function == "raise-untyped") {
      response.set("X-Amz-Function-Error", "Unhandled");
      response.body() = R"({"errorMessage": "no type"})";
    } else if (function == "slow") {
      boost::asio::steady_timer timer(io_, std::chrono::seconds(5));
      co_await timer.async_wait(boost::asio::use_awaitable);
      response.body() = R"({"slow": true})";
    } else {
      // What `sam local start-lambda` answers for a function it does not have.
      response.result(http::status::not_found);
      response.set("x-amzn-errortype", "ResourceNotFound");
      response.body() = R"({"Type": "User", "Message": "Function not found: )"
                        "arn:aws:lambda:us-west-2:012345678901:function:" + function + "\"}";
    }
    response.prepare_payload();
    co_await http::async_write(socket, response, boost::asio::use_awaitable);
    boost::system::error_code ignored;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }

  /// "/2015-03-31/functions/NAME/invocations?..." → NAME.
  static std::string function_of(const std::string& target) {
    const std::string prefix = "/2015-03-31/functions/";
    if (target.rfind(prefix, 0) != 0) return {};
    std::string rest = target.substr(prefix.size());
    return rest.substr(0, rest.find('/'));
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::map<std::string, int> invocations_;
};

}  // namespace flowstate::test
