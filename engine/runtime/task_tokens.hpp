// TaskTokens: the callback Tasks (`.waitForTaskToken`) waiting in this process, by task token,
// and the answers (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) that reach them.
// A token is opaque to its users: 36 base64url characters, always starting with 'B', holding
// the store id of the execution whose checkpoints record it (8 bytes, so a SendTask* call
// finds the task without an index) and 18 random bytes (unguessable, unique per attempt).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

namespace flowstate::runtime {

/// One SendTask* call, or (`started`) an activity worker taking the task (GetActivityTask).
struct TaskAnswer {
  enum class Kind { success, failure, heartbeat, started };
  Kind kind = Kind::heartbeat;
  boost::json::value output;         ///< success: the task's result
  std::optional<std::string> error;  ///< failure (both may be absent, as AWS allows)
  std::optional<std::string> cause;
  std::string worker;                ///< started: the worker's name, as it gave it
};

/// A new token for a task of the execution with store id `execution_id` (16 hex digits; any
/// other text, e.g. "" without a store, stands for id 0).
std::string make_task_token(std::string_view execution_id);

/// The store id (16 hex digits) inside a token; nullopt when `token` is not one of ours.
std::optional<std::string> execution_of_task_token(std::string_view token);

class TaskTokens {
 public:
  /// A callback task's wait, registered from construction to destruction; answers that
  /// arrive before `next` is awaited are kept in order.
  class Waiter {
   public:
    Waiter(TaskTokens& tokens, boost::asio::any_io_executor executor, std::string token);
    ~Waiter();
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    const std::string& token() const { return token_; }
    /// The next answer, or nullopt once `deadline` passes. Throws operation_aborted when
    /// the awaiting coroutine is cancelled (a stop, a failing sibling).
    boost::asio::awaitable<std::optional<TaskAnswer>> next(
        std::chrono::steady_clock::time_point deadline);

   private:
    friend class TaskTokens;
    TaskTokens& tokens_;
    std::string token_;
    boost::asio::steady_timer wake_;
    std::deque<TaskAnswer> answers_;
  };

  /// Hands `answer` to the task waiting on `token`; false when none waits here.
  bool deliver(std::string_view token, TaskAnswer answer);
  bool waiting(std::string_view token) const { return waiters_.find(token) != waiters_.end(); }
  bool empty() const { return waiters_.empty(); }

  /// Called with each token that starts waiting (an answer may be waiting for it already,
  /// e.g. after a resume).
  std::function<void(const std::string& token)> on_wait;

 private:
  std::map<std::string, Waiter*, std::less<>> waiters_;
};

}  // namespace flowstate::runtime
