// Task tokens: what a token holds, and how answers reach the task waiting on it.
#include <chrono>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include "engine/runtime/task_tokens.hpp"

namespace flowstate::runtime {
namespace {

namespace asio = boost::asio;

TEST_CASE("task tokens: opaque, unique, and carry the id of the execution that holds them", "[callback]") {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) {
    std::string token = make_task_token("00c0ffee12345678");
    CHECK(token.size() == 36);
    CHECK(token.front() == 'B');  // never '-', which a command line takes for an option
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(execution_of_task_token(token) == "00c0ffee12345678");
    tokens.insert(token);
  }
  CHECK(tokens.size() == 1000);
  CHECK(execution_of_task_token(make_task_token("ffffffffffffffff")) == "ffffffffffffffff");
  CHECK(execution_of_task_token(make_task_token("")) == "0000000000000000");
  CHECK_FALSE(execution_of_task_token("short"));
  CHECK_FALSE(execution_of_task_token(std::string(35, 'B') + "="));
  CHECK_FALSE(execution_of_task_token(std::string(36, 'A')));
}

TEST_CASE("task tokens: answers reach the waiter in order, also those that came before it waited",
          "[callback]") {
  asio::io_context io;
  TaskTokens tokens;
  std::vector<TaskAnswer::Kind> seen;
  bool timed_out = false;
  std::string registered;
  tokens.on_wait = [&](const std::string& token) {
    registered = token;
    TaskAnswer early;  // as an answer file found when the wait starts
    tokens.deliver(token, early);
  };
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    TaskTokens::Waiter waiter(tokens, io.get_executor(), "T");
    auto far = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int i = 0; i < 3; ++i) seen.push_back((co_await waiter.next(far))->kind);
    timed_out = !co_await waiter.next(std::chrono::steady_clock::now() + std::chrono::milliseconds(20));
  }, asio::detached);
  asio::post(io, [&] {
    TaskAnswer failure;
    failure.kind = TaskAnswer::Kind::failure;
    CHECK(tokens.deliver("T", failure));
    TaskAnswer success;
    success.kind = TaskAnswer::Kind::success;
    CHECK(tokens.deliver("T", success));
    CHECK_FALSE(tokens.deliver("other", success));
  });
  io.run();
  CHECK(registered == "T");
  CHECK(seen == std::vector{TaskAnswer::Kind::heartbeat, TaskAnswer::Kind::failure, TaskAnswer::Kind::success});
  CHECK(timed_out);
  CHECK(tokens.empty());
}

}  // namespace
}  // namespace flowstate::runtime
