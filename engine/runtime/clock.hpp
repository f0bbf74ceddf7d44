// Clock: the runtime's one seam to time. Wait states and Retry back-off sleep through it, so
// `--skip-waits` (and tests) replace waiting with arithmetic. Timeouts use real time always.
#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>

namespace flowstate::runtime {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  /// Completes at `deadline` (at once when it has passed); cancellable like any Asio wait.
  virtual boost::asio::awaitable<void> sleep_until(std::chrono::system_clock::time_point deadline) = 0;
};

/// Waits for real, on the caller's executor.
class RealClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override;
  boost::asio::awaitable<void> sleep_until(std::chrono::system_clock::time_point deadline) override;
};

/// `--skip-waits`: every sleep completes at once; the wall clock still tells the time.
class SkipWaitsClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override;
  boost::asio::awaitable<void> sleep_until(std::chrono::system_clock::time_point deadline) override;
};

}  // namespace flowstate::runtime
