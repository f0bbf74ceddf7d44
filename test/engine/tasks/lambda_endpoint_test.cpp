// Tests of --lambda-endpoint URLs: what is accepted and the exact message for what is not.
#include "engine/tasks/lambda_endpoint.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace flowstate::tasks {
namespace {

TEST_CASE("LambdaEndpoint: http URLs with an IP address or localhost", "[tasks][lambda]") {
  auto sam = LambdaEndpoint::parse("http://127.0.0.1:3001");
  REQUIRE(sam.has_value());
  CHECK(sam->address.to_string() == "127.0.0.1");
  CHECK(sam->port == 3001);
  CHECK(sam->host == "127.0.0.1:3001");
  CHECK(sam->path.empty());

  auto localstack = LambdaEndpoint::parse("http://localhost:4566/");
  REQUIRE(localstack.has_value());
  CHECK(localstack->address.to_string() == "127.0.0.1");
  CHECK(localstack->port == 4566);
  CHECK(localstack->path.empty());

  auto v6 = LambdaEndpoint::parse("http://[::1]:9000/prefix/");
  REQUIRE(v6.has_value());
  CHECK(v6->address.to_string() == "::1");
  CHECK(v6->port == 9000);
  CHECK(v6->path == "/prefix");

  auto default_port = LambdaEndpoint::parse("http://10.0.0.2");
  REQUIRE(default_port.has_value());
  CHECK(default_port->port == 80);
}

TEST_CASE("LambdaEndpoint: what is refused, and why", "[tasks][lambda]") {
  auto error = [](std::string url) {
    auto parsed = LambdaEndpoint::parse(url);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error();
  };
  CHECK(error("https://127.0.0.1:3001") ==
        "https is not supported (local Lambda emulators speak http); e.g. http://127.0.0.1:3001");
  CHECK(error("127.0.0.1:3001") == "the URL must start with http://, e.g. http://127.0.0.1:3001");
  CHECK(error("http://lambda.local:3001") ==
        "the host 'lambda.local' must be an IP address or localhost (flowstate does not resolve "
        "host names), e.g. http://127.0.0.1:3001");
  CHECK(error("http://127.0.0.1:70000") ==
        "the port '70000' is not a number from 1 to 65535, e.g. http://127.0.0.1:3001");
  CHECK(error("http://127.0.0.1:") ==
        "the port '' is not a number from 1 to 65535, e.g. http://127.0.0.1:3001");
  CHECK(error("http://:3001") == "the URL names no host, e.g. http://127.0.0.1:3001");
  CHECK(error("http://127.0.0.1:3001/?x=1") ==
        "the URL must have no query or fragment, e.g. http://127.0.0.1:3001");
}

}  // namespace
}  // namespace flowstate::tasks
