// Signature Version 4 between the CLI and `flowstate server --credentials`: the CLI signs its
// --endpoint requests with the AWS_* environment, and the server refuses a request signed
// too far from its clock, as AWS does.
#include <cstdlib>
#include <fstream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/tasks/aws_request_signer.hpp"
#include "engine/tasks/http_exchange.hpp"
#include "test/harness/api_server.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace asio = boost::asio;
using test::ApiServer;
using test::TempDir;

// A well-formed task token that no execution issued.
constexpr const char* kUnknownToken = "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

struct Environment {
  Environment(const char* id, const char* secret) {
    ::setenv("AWS_ACCESS_KEY_ID", id, 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
  }
  ~Environment() {
    ::unsetenv("AWS_ACCESS_KEY_ID");
    ::unsetenv("AWS_SECRET_ACCESS_KEY");
  }
};

ApiServer signed_server(const TempDir& dir) {
  std::ofstream(dir.path() / "credentials") << "AKIDTEST secret-one\n";
  return ApiServer(dir.path() / "store", {"--credentials", (dir.path() / "credentials").string()});
}

// ListStateMachines signed with `secret` at `when`; the error type, or "" for a success.
std::string list_signed_at(unsigned short port, const char* secret, std::chrono::system_clock::time_point when) {
  tasks::HttpRequest request;
  request.target = "/";
  request.host = "127.0.0.1:" + std::to_string(port);
  request.headers = {{"X-Amz-Target", "AWSStepFunctions.ListStateMachines"},
                     {"Content-Type", "application/x-amz-json-1.0"}};
  request.body = "{}";
  tasks::sign_request(request, tasks::AwsCredentials{"AKIDTEST", secret, "", "us-east-1"}, "states", when);
  asio::io_context io;
  std::optional<boost::system::result<tasks::HttpResponse>> response;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto exchanged = co_await tasks::exchange_http({asio::ip::make_address("127.0.0.1"), port}, request);
        response = std::move(exchanged);
      },
      asio::detached);
  io.run();
  REQUIRE(response);
  REQUIRE((*response).has_value());
  if ((*response)->status == 200) return "";
  auto body = data::parse_json((*response)->body);
  REQUIRE(body.has_value());
  std::string message(body->at("message").as_string());
  return std::string(body->at("__type").as_string()) + ": " + message;
}

TEST_CASE("signing: the CLI signs --endpoint requests with the AWS_* environment") {
  TempDir dir;
  ApiServer server = signed_server(dir);
  std::vector<std::string> heartbeat{"send-task-heartbeat", kUnknownToken, "--endpoint", server.endpoint()};

  auto unsigned_request = test::run_flowstate(heartbeat);
  CHECK(unsigned_request.exit_code == 2);
  CHECK(unsigned_request.err.find("MissingAuthenticationTokenException") != std::string::npos);
  {
    Environment credentials("AKIDTEST", "secret-one");
    auto accepted = test::run_flowstate(heartbeat);
    CHECK(accepted.exit_code == 2);  // past the signature check: the token is unknown
    CHECK(accepted.err.find("TaskDoesNotExist") != std::string::npos);
  }
  {
    Environment credentials("AKIDTEST", "another-secret");
    auto refused = test::run_flowstate(heartbeat);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("InvalidSignatureException") != std::string::npos);
  }
}

TEST_CASE("signing: a request signed more than 15 minutes away from the server's clock is refused") {
  TempDir dir;
  ApiServer server = signed_server(dir);
  auto now = std::chrono::system_clock::now();
  CHECK(list_signed_at(server.port(), "secret-one", now).empty());
  CHECK(list_signed_at(server.port(), "secret-one", now - std::chrono::minutes(14)).empty());
  CHECK(list_signed_at(server.port(), "secret-one", now + std::chrono::minutes(14)).empty());
  auto expired = list_signed_at(server.port(), "secret-one", now - std::chrono::minutes(20));
  CHECK(expired.starts_with("InvalidSignatureException: Signature expired: "));
  CHECK(expired.find("- 15 min.)") != std::string::npos);
  auto early = list_signed_at(server.port(), "secret-one", now + std::chrono::minutes(20));
  CHECK(early.starts_with("InvalidSignatureException: Signature not yet current: "));
  CHECK(list_signed_at(server.port(), "wrong", now).starts_with("InvalidSignatureException: The request signature"));
}

}  // namespace
}  // namespace flowstate::cli
