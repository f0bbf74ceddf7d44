#include "engine/runtime/fan_out.hpp"

#include <exception>
#include <limits>
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

constexpr std::size_t kNoWorker = std::numeric_limits<std::size_t>::max();

struct Shared {
  Shared(asio::any_io_executor executor, ConcurrencyLimit& limit) : executor(executor), done(executor), limit(limit) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  asio::any_io_executor executor;
  std::size_t count = 0;
  std::size_t next = 0;
  std::size_t running = 0;  ///< workers whose coroutine has not completed
  std::size_t working = 0;  ///< workers that may still take an index
  std::size_t busy = 0;     ///< workers running a body
  std::optional<std::size_t> failed;
  bool aborting = false;
  std::exception_ptr error;
  asio::steady_timer done;
  ConcurrencyLimit& limit;
  std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
  std::function<asio::awaitable<bool>(std::size_t)> body;

  bool stopping() const { return failed || aborting; }
  void cancel_all(std::size_t except) {
    for (std::size_t w = 0; w < signals.size(); ++w)
      if (w != except) signals[w]->emit(asio::cancellation_type::terminal);
  }
};

asio::awaitable<void> worker(std::shared_ptr<Shared> shared, std::size_t self);

// Starts workers while the limit allows more and indices remain that no worker will take.
void spawn_workers(const std::shared_ptr<Shared>& shared) {
  // Workers not running a body take the next indices first.
  auto unclaimed = [&] { return shared->count - shared->next > shared->working - shared->busy; };
  while (!shared->stopping() && unclaimed() &&
         (shared->limit.value() == 0 || shared->working < shared->limit.value())) {
    std::size_t self = shared->signals.size();
    shared->signals.push_back(std::make_unique<asio::cancellation_signal>());
    ++shared->running;
    ++shared->working;
    asio::co_spawn(shared->executor, worker(shared, self),
                   asio::bind_cancellation_slot(shared->signals[self]->slot(),
                                                [shared](std::exception_ptr error) {
                                                  if (error && !shared->error) shared->error = error;
                                                  if (--shared->running == 0) shared->done.cancel();
                                                }));
  }
}

asio::awaitable<void> worker(std::shared_ptr<Shared> shared, std::size_t self) {
  // A lowered limit retires the workers above it as they finish their body.
  while (!shared->stopping() && shared->next < shared->count &&
         (shared->limit.value() == 0 || shared->working <= shared->limit.value())) {
    std::size_t index = shared->next++;
    ++shared->busy;
    bool ok = co_await shared->body(index);
    --shared->busy;
    if (!ok && !shared->stopping()) {
      shared->failed = index;
      shared->cancel_all(self);
    }
  }
  --shared->working;
}

}  // namespace

asio::awaitable<FanOutResult> fan_out(std::size_t count, std::size_t limit,
                                      std::function<asio::awaitable<bool>(std::size_t)> body) {
  ConcurrencyLimit fixed(limit);
  co_return co_await fan_out(count, fixed, std::move(body));
}

asio::awaitable<FanOutResult> fan_out(std::size_t count, ConcurrencyLimit& limit,
                                      std::function<asio::awaitable<bool>(std::size_t)> body) {
  if (count == 0) co_return FanOutResult{};
  auto executor = co_await asio::this_coro::executor;
  co_await asio::this_coro::throw_if_cancelled(false);
  auto shared = std::make_shared<Shared>(executor, limit);
  shared->count = count;
  shared->body = std::move(body);
  spawn_workers(shared);
  limit.on_change([weak = std::weak_ptr<Shared>(shared)] {
    if (auto alive = weak.lock()) spawn_workers(alive);
  });
  // Wait until every worker has finished; if we are cancelled meanwhile, pass the
  // cancellation on and keep waiting (the workers use `shared` and the caller's data).
  while (shared->running > 0) {
    co_await shared->done.async_wait(asio::as_tuple(asio::use_awaitable));
    if (shared->running > 0 && !shared->aborting) {
      shared->aborting = true;
      shared->cancel_all(kNoWorker);
      co_await asio::this_coro::reset_cancellation_state();
    }
  }
  limit.on_change(nullptr);
  if (shared->aborting) co_return FanOutResult{FanOutResult::Kind::aborted, 0};
  if (shared->error) std::rethrow_exception(shared->error);
  if (shared->failed) co_return FanOutResult{FanOutResult::Kind::failed, *shared->failed};
  co_return FanOutResult{};
}

}  // namespace flowstate::runtime
