#include "engine/runtime/clock.hpp"

#include <boost/asio/system_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace flowstate::runtime {

std::chrono::system_clock::time_point RealClock::now() const {
  return std::chrono::system_clock::now();
}

boost::asio::awaitable<void> RealClock::sleep_until(std::chrono::system_clock::time_point deadline) {
  if (deadline <= std::chrono::system_clock::now()) co_return;
  boost::asio::system_timer timer(co_await boost::asio::this_coro::executor, deadline);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

std::chrono::system_clock::time_point SkipWaitsClock::now() const {
  return std::chrono::system_clock::now();
}

boost::asio::awaitable<void> SkipWaitsClock::sleep_until(std::chrono::system_clock::time_point) {
  co_return;
}

}  // namespace flowstate::runtime
