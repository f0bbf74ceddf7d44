// TaskResource: the one interface behind every Task state's Resource (local commands, nested
// machines, HTTP, mocks). A run is a coroutine on the execution's io_context and honours
// cancellation (Parallel/Map siblings failing, timeouts, Ctrl-C, `flowstate stop`).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"

namespace flowstate::tasks {

struct TaskRequest {
  std::string resource;             ///< the Resource ARN as written
  std::string state_name;           ///< for logs and error causes
  /// The store's id of the execution running the task (empty without a store).
  std::string execution_id;
  /// Names this invocation within its execution ("BRANCH/STATE/RETRY"), the same when a
  /// resume runs it again; a nested execution uses it to find the child it started.
  std::string invocation;
  boost::json::value parameters;    ///< the effective input (after InputPath and Parameters)
  /// A callback Task's ($$.Task.Token): the integration hands it on, and the task then waits
  /// for an answer to it. Empty for other Tasks.
  std::string task_token;
  std::optional<std::chrono::seconds> timeout;    ///< TimeoutSeconds(Path), when given
  std::optional<std::chrono::seconds> heartbeat;  ///< HeartbeatSeconds(Path), when given
  /// Where local work runs (a command's directory, unless its WorkingDirectory says where);
  /// empty: this process's working directory.
  std::string working_directory;
  /// Receives each line the task writes to stderr (its log), without the newline.
  std::function<void(std::string_view line)> on_log;
};

/// "1 second", "30 seconds": how a timeout's cause names TimeoutSeconds or HeartbeatSeconds.
inline std::string seconds_text(std::chrono::seconds seconds) {
  return std::to_string(seconds.count()) + (seconds.count() == 1 ? " second" : " seconds");
}

/// The task's raw result, or the ASL error it failed with (States.TaskFailed,
/// States.Timeout, or a custom name the task reported).
using TaskResult = boost::system::result<boost::json::value, asl::Failure>;

class TaskResource {
 public:
  virtual ~TaskResource() = default;
  virtual boost::asio::awaitable<TaskResult> run(TaskRequest request) = 0;
};

}  // namespace flowstate::tasks
