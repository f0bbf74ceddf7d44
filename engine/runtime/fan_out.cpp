#include "engine/runtime/fan_out.hpp"

#include <exception>
#include <memory>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>

namespace flowstate::runtime {

namespace asio = boost::asio;

namespace {

struct Shared {
  explicit Shared(asio::any_io_executor executor) : done(executor) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  std::size_t count = 0;
  std::size_t next = 0;
  std::size_t running = 0;
  std::optional<std::size_t> failed;
  bool aborting = false;
  std::exception_ptr error;
  asio::steady_timer done;
  std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
  std::function<asio::awaitable<bool>(std::size_t)> body;

  void cancel_all(std::size_t except) {
    for (std::size_t w = 0; w < signals.size(); ++w)
      if (w != except) signals[w]->emit(asio::cancellation_type::terminal);
  }
};

asio::awaitable<void> worker(std::shared_ptr<Shared> shared, std::size_t self) {
  while (!shared->failed && !shared->aborting && shared->next < shared->count) {
    std::size_t index = shared->next++;
    bool ok = co_await shared->body(index);
    if (!ok && !shared->failed && !shared->aborting) {
      shared->failed = index;
      shared->cancel_all(self);
    }
  }
}

}  // namespace

asio::awaitable<FanOutResult> fan_out(std::size_t count, std::size_t limit,
                                      std::function<asio::awaitable<bool>(std::size_t)> body) {
  if (count == 0) co_return FanOutResult{};
  auto executor = co_await asio::this_coro::executor;
  co_await asio::this_coro::throw_if_cancelled(false);
  auto shared = std::make_shared<Shared>(executor);
  shared->count = count;
  shared->body = std::move(body);
  std::size_t workers = limit == 0 || limit > count ? count : limit;
  for (std::size_t w = 0; w < workers; ++w)
    shared->signals.push_back(std::make_unique<asio::cancellation_signal>());
  for (std::size_t w = 0; w < workers; ++w) {
    ++shared->running;
    asio::co_spawn(executor, worker(shared, w),
                   asio::bind_cancellation_slot(shared->signals[w]->slot(),
                                                [shared](std::exception_ptr error) {
                                                  if (error && !shared->error) shared->error = error;
                                                  if (--shared->running == 0) shared->done.cancel();
                                                }));
  }
  // Wait until every worker has finished; if we are cancelled meanwhile, pass the
  // cancellation on and keep waiting (the workers use `shared` and the caller's data).
  while (shared->running > 0) {
    co_await shared->done.async_wait(asio::as_tuple(asio::use_awaitable));
    if (shared->running > 0 && !shared->aborting) {
      shared->aborting = true;
      shared->cancel_all(workers);
      co_await asio::this_coro::reset_cancellation_state();
    }
  }
  if (shared->aborting) co_return FanOutResult{FanOutResult::Kind::aborted, 0};
  if (shared->error) std::rethrow_exception(shared->error);
  if (shared->failed) co_return FanOutResult{FanOutResult::Kind::failed, *shared->failed};
  co_return FanOutResult{};
}

}  // namespace flowstate::runtime
