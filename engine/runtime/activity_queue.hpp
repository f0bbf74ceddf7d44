// ActivityQueue: the activity tasks (Resource `arn:aws:states:REGION:ACCOUNT:activity:NAME`)
// scheduled in this process, waiting for a worker, and the workers' GetActivityTask long
// polls waiting for a task. A worker that takes a task is told its token; the task hears of
// it as a `started` answer and from then on waits for SendTask* like any callback task.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "engine/runtime/task_tokens.hpp"

namespace flowstate::runtime {

/// What a worker gets: the task token to answer with and the task's input (JSON text).
struct ActivityTask {
  std::string token;
  std::string input;
};

class ActivityQueue {
 public:
  explicit ActivityQueue(TaskTokens& tokens) : tokens_(tokens) {}

  /// Schedules a task of `activity_arn`, whose Task waits on `task.token`: the longest-waiting
  /// worker gets it at once, or the next one to poll.
  void offer(const std::string& activity_arn, ActivityTask task);

  /// GetActivityTask: the oldest task of `activity_arn` whose Task still waits, or nullopt
  /// when none comes before `deadline` (or the queue is closed). Taking a task delivers a
  /// `started` answer, with `worker`, to its Task.
  boost::asio::awaitable<std::optional<ActivityTask>> take(std::string activity_arn, std::string worker,
                                                           std::chrono::steady_clock::time_point deadline);

  /// Workers polling `activity_arn` now.
  std::size_t pollers(std::string_view activity_arn) const;
  /// Tasks of `activity_arn` that no worker has taken (including ones whose Task stopped).
  std::size_t pending(std::string_view activity_arn) const;

  /// Whether an activity ARN exists (the server's CreateActivity); unset: every ARN does.
  /// A Task of one that does not fails at once instead of waiting for a worker that cannot come.
  std::function<bool(std::string_view activity_arn)> known;

  /// Ends every poll now (with nullopt) and every later one at once: the server is stopping.
  void close();

 private:
  struct Poller;
  bool hand_over(ActivityTask& task, Poller& poller);

  TaskTokens& tokens_;
  std::map<std::string, std::deque<ActivityTask>, std::less<>> pending_;
  std::map<std::string, std::list<Poller*>, std::less<>> pollers_;
  bool closed_ = false;
};

}  // namespace flowstate::runtime
