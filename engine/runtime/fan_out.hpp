// fan_out: runs N coroutines (Parallel branches, Map iterations) on the caller's executor, at
// most `limit` at a time, in index order; after the first failure it starts no more and
// cancels the running ones, and it always waits for every started one to finish. Its limit may
// change while it runs (a Map Run's UpdateMapRun): ConcurrencyLimit.
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

/// How many bodies fan_out runs at once (0: no limit), changeable while it runs: raised, more
/// bodies start at once; lowered, no body starts until fewer than the new limit run.
class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(std::size_t value) : value_(value) {}
  ConcurrencyLimit(const ConcurrencyLimit&) = delete;
  ConcurrencyLimit& operator=(const ConcurrencyLimit&) = delete;

  std::size_t value() const { return value_; }
  void set(std::size_t value) {
    value_ = value;
    if (changed_) changed_();
  }
  /// fan_out's: called on every change while it runs.
  void on_change(std::function<void()> changed) { changed_ = std::move(changed); }

 private:
  std::size_t value_;
  std::function<void()> changed_;
};

/// `body(i)` returns true on success. `limit` 0 means no limit. When the awaiting coroutine
/// is cancelled, every running body is cancelled and the result is Kind::aborted.
boost::asio::awaitable<FanOutResult> fan_out(std::size_t count, std::size_t limit,
                                             std::function<boost::asio::awaitable<bool>(std::size_t)> body);
boost::asio::awaitable<FanOutResult> fan_out(std::size_t count, ConcurrencyLimit& limit,
                                             std::function<boost::asio::awaitable<bool>(std::size_t)> body);

}  // namespace flowstate::runtime
