// fan_out: runs N coroutines (Parallel branches, Map iterations) on the caller's executor, at
// most `limit` at a time, in index order; after the first failure it starts no more and
// cancels the running ones, and it always waits for every started one to finish.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include <boost/asio/awaitable.hpp>

namespace flowstate::runtime {

struct FanOutResult {
  enum class Kind { completed, failed, aborted } kind = Kind::completed;
  std::size_t failed_index = 0;  ///< for Kind::failed: the first body that returned false
};

/// `body(i)` returns true on success. `limit` 0 means no limit. When the awaiting coroutine
/// is cancelled, every running body is cancelled and the result is Kind::aborted.
boost::asio::awaitable<FanOutResult> fan_out(std::size_t count, std::size_t limit,
                                             std::function<boost::asio::awaitable<bool>(std::size_t)> body);

}  // namespace flowstate::runtime
