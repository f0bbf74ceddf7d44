#include "engine/runtime/activity_queue.hpp"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace flowstate::runtime {

namespace asio = boost::asio;

struct ActivityQueue::Poller {
  asio::steady_timer wake;
  std::string worker;
  std::optional<ActivityTask> task;
};

// The poller is unlinked from pollers_ already (or was never in it).
bool ActivityQueue::hand_over(ActivityTask& task, Poller& poller) {
  TaskAnswer started;
  started.kind = TaskAnswer::Kind::started;
  started.worker = poller.worker;
  // A Task that stopped (or timed out, or was answered) waits no more: its entry is dropped.
  if (!tokens_.deliver(task.token, std::move(started))) return false;
  poller.task = std::move(task);
  poller.wake.cancel();
  return true;
}

void ActivityQueue::offer(const std::string& activity_arn, ActivityTask task) {
  if (!tokens_.waiting(task.token)) return;
  auto waiting = pollers_.find(activity_arn);
  if (waiting != pollers_.end() && !waiting->second.empty()) {
    Poller* poller = waiting->second.front();
    waiting->second.pop_front();
    hand_over(task, *poller);
    return;
  }
  pending_[activity_arn].push_back(std::move(task));
}

asio::awaitable<std::optional<ActivityTask>> ActivityQueue::take(std::string activity_arn, std::string worker,
                                                                 std::chrono::steady_clock::time_point deadline) {
  // GCC 12 miscompiles a co_await inside a braced initializer: the executor comes first.
  auto executor = co_await asio::this_coro::executor;
  Poller poller{asio::steady_timer(executor), std::move(worker), std::nullopt};
  if (auto queued = pending_.find(activity_arn); queued != pending_.end()) {
    auto& tasks = queued->second;
    while (!tasks.empty()) {
      ActivityTask task = std::move(tasks.front());
      tasks.pop_front();
      if (hand_over(task, poller)) break;
    }
    if (tasks.empty()) pending_.erase(queued);
    if (poller.task) co_return std::move(poller.task);
  }
  if (closed_) co_return std::nullopt;
  auto& list = pollers_[activity_arn];
  auto entry = list.insert(list.end(), &poller);
  poller.wake.expires_at(deadline);
  co_await poller.wake.async_wait(asio::as_tuple(asio::use_awaitable));
  // offer() unlinks the poller it hands a task to; a timeout, close() or cancellation does not.
  if (!poller.task) {
    auto& still = pollers_[activity_arn];
    still.erase(entry);
    if (still.empty()) pollers_.erase(activity_arn);
  } else if (auto left = pollers_.find(activity_arn); left != pollers_.end() && left->second.empty()) {
    pollers_.erase(left);
  }
  co_return std::move(poller.task);
}

std::size_t ActivityQueue::pollers(std::string_view activity_arn) const {
  auto found = pollers_.find(activity_arn);
  return found == pollers_.end() ? 0 : found->second.size();
}

std::size_t ActivityQueue::pending(std::string_view activity_arn) const {
  auto found = pending_.find(activity_arn);
  return found == pending_.end() ? 0 : found->second.size();
}

void ActivityQueue::close() {
  closed_ = true;
  for (auto& [arn, list] : pollers_)
    for (Poller* poller : list) poller->wake.cancel();
}

}  // namespace flowstate::runtime
