#include "engine/runtime/task_tokens.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include "engine/data/random_source.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// A token is 27 bytes in base64url: a format byte, the 8-byte execution id, 18 random bytes
// (144 bits). The format byte makes every token start with 'B', never with '-', which a
// command line would take for an option.
constexpr std::uint8_t kTokenFormat = 0x04;
constexpr std::size_t kTokenBytes = 27;
constexpr std::size_t kTokenLength = kTokenBytes / 3 * 4;

}  // namespace

std::string make_task_token(std::string_view execution_id) {
  std::uint64_t id = 0;
  if (execution_id.size() == 16) {
    auto [end, error] = std::from_chars(execution_id.data(), execution_id.data() + 16, id, 16);
    if (error != std::errc() || end != execution_id.data() + 16) id = 0;
  }
  std::array<std::uint8_t, kTokenBytes> bytes;
  bytes[0] = kTokenFormat;
  for (int i = 8; i >= 1; --i, id >>= 8) bytes[i] = static_cast<std::uint8_t>(id);
  for (std::size_t i = 9; i < kTokenBytes; i += 6) {
    std::uint64_t random = data::random_u64();
    for (std::size_t j = i; j < i + 6; ++j, random >>= 8) bytes[j] = static_cast<std::uint8_t>(random);
  }
  std::string token;
  token.reserve(kTokenLength);
  for (std::size_t i = 0; i < kTokenBytes; i += 3) {
    std::uint32_t group = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) token += kAlphabet[(group >> shift) & 63];
  }
  return token;
}

std::optional<std::string> execution_of_task_token(std::string_view token) {
  if (token.size() != kTokenLength) return std::nullopt;
  std::array<std::uint8_t, kTokenBytes> bytes;
  for (std::size_t i = 0; i < kTokenLength; i += 4) {
    std::uint32_t group = 0;
    for (std::size_t j = i; j < i + 4; ++j) {
      std::size_t digit = kAlphabet.find(token[j]);
      if (digit == std::string_view::npos) return std::nullopt;
      group = (group << 6) | static_cast<std::uint32_t>(digit);
    }
    bytes[i / 4 * 3] = static_cast<std::uint8_t>(group >> 16);
    bytes[i / 4 * 3 + 1] = static_cast<std::uint8_t>(group >> 8);
    bytes[i / 4 * 3 + 2] = static_cast<std::uint8_t>(group);
  }
  if (bytes[0] != kTokenFormat) return std::nullopt;
  std::uint64_t id = 0;
  for (std::size_t i = 1; i <= 8; ++i) id = (id << 8) | bytes[i];
  return fmt::format("{:016x}", id);
}

TaskTokens::Waiter::Waiter(TaskTokens& tokens, asio::any_io_executor executor, std::string token)
    : tokens_(tokens), token_(std::move(token)), wake_(std::move(executor)) {
  tokens_.waiters_[token_] = this;
  if (tokens_.on_wait) tokens_.on_wait(token_);
}

TaskTokens::Waiter::~Waiter() {
  auto found = tokens_.waiters_.find(token_);
  if (found != tokens_.waiters_.end() && found->second == this) tokens_.waiters_.erase(found);
}

asio::awaitable<std::optional<TaskAnswer>> TaskTokens::Waiter::next(
    std::chrono::steady_clock::time_point deadline) {
  while (answers_.empty()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
    wake_.expires_at(deadline);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    // A delivery cancels the timer too: only the coroutine's own cancellation is a stop.
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      throw boost::system::system_error(asio::error::operation_aborted);
  }
  TaskAnswer answer = std::move(answers_.front());
  answers_.pop_front();
  co_return answer;
}

bool TaskTokens::deliver(std::string_view token, TaskAnswer answer) {
  auto found = waiters_.find(token);
  if (found == waiters_.end()) return false;
  found->second->answers_.push_back(std::move(answer));
  found->second->wake_.cancel();
  return true;
}

}  // namespace flowstate::runtime
