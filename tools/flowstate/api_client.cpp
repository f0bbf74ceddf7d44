#include "tools/flowstate/api_client.hpp"

#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace json = boost::json;

boost::system::result<ApiClient, std::string> ApiClient::parse(std::string_view url) {
  auto endpoint = tasks::LambdaEndpoint::parse(url);
  if (!endpoint) return endpoint.error();
  ApiClient client;
  client.endpoint_ = std::move(*endpoint);
  client.credentials_ = tasks::AwsCredentials::from_environment();
  return client;
}

ApiReply ApiClient::call(std::string_view action, const json::object& body,
                         std::vector<tasks::HttpHeader> headers) const {
  return call_target(fmt::format("AWSStepFunctions.{}", action), body, std::move(headers));
}

ApiReply ApiClient::call_target(std::string_view target, const json::object& body,
                                std::vector<tasks::HttpHeader> headers) const {
  tasks::HttpRequest request;
  request.target = endpoint_.path + "/";
  request.host = endpoint_.host;
  request.headers = std::move(headers);
  request.headers.push_back({"X-Amz-Target", std::string(target)});
  request.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
  request.body = data::serialize_json(body);
  if (credentials_) tasks::sign_request(request, *credentials_, "states", std::chrono::system_clock::now());

  asio::io_context io;
  std::optional<boost::system::result<tasks::HttpResponse>> response;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto peer = asio::ip::tcp::endpoint(endpoint_.address, endpoint_.port);
        auto exchanged = co_await tasks::exchange_http(peer, std::move(request));
        response = std::move(exchanged);
      },
      asio::detached);
  io.run();

  ApiReply reply;
  if (!response || !*response) {
    reply.message = fmt::format("cannot reach {}: {}", endpoint_.url,
                                response ? response->error().message() : "no answer");
    return reply;
  }
  reply.status = (*response)->status;
  auto parsed = data::parse_json((*response)->body);
  if (reply.ok()) {
    if (parsed && parsed->is_object()) reply.body = std::move(parsed->get_object());
    return reply;
  }
  reply.error = fmt::format("HTTP {}", reply.status);
  reply.message = (*response)->body;
  if (parsed && parsed->is_object()) {
    const json::object& error = parsed->get_object();
    if (const json::value* value = error.if_contains("__type"); value && value->is_string()) {
      std::string_view text = value->get_string();
      auto hash = text.find('#');
      reply.error = std::string(hash == std::string_view::npos ? text : text.substr(hash + 1));
    }
    for (std::string_view key : {"message", "Message"})
      if (const json::value* value = error.if_contains(key); value && value->is_string())
        reply.message = std::string(value->get_string());
  }
  return reply;
}

}  // namespace flowstate::cli
