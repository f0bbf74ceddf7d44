// ApiServer: a real `flowstate server` process on a free loopback port with its own store,
// and a Boost.Beast client that speaks the AWS JSON 1.0 protocol to it (one keep-alive
// connection). Header-only test harness.
#pragma once

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"

namespace flowstate::test {

/// One HTTP response of the API.
struct ApiReply {
  unsigned status = 0;
  std::string error_type;  ///< x-amzn-ErrorType
  boost::json::object body;
};

class ApiClient {
 public:
  explicit ApiClient(unsigned short port) : port_(port) { connect(); }

  /// POST / with X-Amz-Target: AWSStepFunctions.<action> and `body`, as raw text.
  ApiReply call_raw(const std::string& target, const std::string& body) {
    namespace http = boost::beast::http;
    http::request<http::string_body> request{http::verb::post, "/", 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (!target.empty()) request.set("X-Amz-Target", target);
    request.set(http::field::content_type, "application/x-amz-json-1.0");
    request.body() = body;
    request.prepare_payload();
    http::write(*socket_, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(*socket_, buffer, parser);
    const auto& response = parser.get();
    ApiReply reply;
    reply.status = response.result_int();
    if (auto type = response.find("x-amzn-ErrorType"); type != response.end())
      reply.error_type = std::string(type->value());
    auto parsed = data::parse_json(response.body());
    if (parsed && parsed->is_object()) reply.body = parsed->get_object();
    if (!response.keep_alive()) connect();
    return reply;
  }

  ApiReply call(const std::string& action, const boost::json::object& body) {
    return call_raw("AWSStepFunctions." + action, data::serialize_json(body));
  }

  /// call(), requiring HTTP 200; throws with the error otherwise.
  boost::json::object ok(const std::string& action, const boost::json::object& body) {
    ApiReply reply = call(action, body);
    if (reply.status != 200)
      throw std::runtime_error(action + " answered " + std::to_string(reply.status) + ": " +
                               data::serialize_json(reply.body));
    return reply.body;
  }

 private:
  void connect() {
    socket_ = std::make_unique<boost::asio::ip::tcp::socket>(io_);
    socket_->connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  }

  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
  unsigned short port_;
};

/// `flowstate server --store STORE --listen 127.0.0.1:0 ARGS...`, waited for until it
/// prints the address it listens on.
class ApiServer {
 public:
  explicit ApiServer(const std::filesystem::path& store, std::vector<std::string> args = {}) {
    std::vector<std::string> all{"server", "--store", store.string(), "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    process_ = std::make_unique<FlowstateProcess>(all);
    constexpr std::string_view kListening = "server listening on http://127.0.0.1:";
    if (!process_->wait_for_stderr(kListening, std::chrono::seconds(20)))
      throw std::runtime_error("the server did not start: " + process_->stderr_text());
    // Wait for the whole line, then read the port after the address.
    process_->wait_for_stderr(" (store", std::chrono::seconds(5));
    const std::string& err = process_->stderr_text();
    port_ = static_cast<unsigned short>(std::stoi(err.substr(err.find(kListening) + kListening.size())));
  }

  unsigned short port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  FlowstateProcess& process() { return *process_; }

 private:
  std::unique_ptr<FlowstateProcess> process_;
  unsigned short port_ = 0;
};

}  // namespace flowstate::test
