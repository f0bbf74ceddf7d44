// CommandTask: the `arn:flowstate:::command` resource, which runs a local program as a Task
// state's work: the input on stdin, the result on stdout, the log on stderr.
#pragma once

#include <chrono>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "engine/tasks/task_resource.hpp"

namespace flowstate::tasks {

inline constexpr std::string_view kCommandResource = "arn:flowstate:::command";

struct CommandTaskOptions {
  /// On a timeout, a missed heartbeat or a cancellation, the process group gets SIGTERM and,
  /// after this long, SIGKILL.
  std::chrono::steady_clock::duration kill_grace = std::chrono::seconds(2);
};

/// The contract (README "Command tasks" documents the same; keep them together).
///
/// TaskRequest::parameters (the effective input) is a JSON object with:
/// - "Command": an array of strings, the argv (argv[0] is searched in PATH unless it holds a
///   '/'); or a string, run as `/bin/sh -c <string>`, only with "Shell": true.
/// - "Shell": optional boolean, default false.
/// - "Env": optional object of strings, added to the environment flowstate inherited.
/// - "WorkingDirectory": optional string; default: flowstate's working directory.
/// - "Input": optional, any JSON: what stdin receives; default: the whole effective input.
/// Other fields are allowed (they reach stdin when "Input" is absent).
///
/// stdin receives the input as compact JSON, then is closed. stdout is the result: its JSON
/// value when it parses as JSON, otherwise its text with surrounding whitespace trimmed, as a
/// JSON string; empty (or only whitespace) → null. stderr is the log: each line goes to
/// TaskRequest::on_log as it arrives, and the last 20 lines (at most 4 KiB) are kept as the
/// "stderr tail".
///
/// Outcomes (every failure is a value; none is thrown):
/// - exit status 0 → success with the result (even if it looks like {"Error": ...}).
/// - non-zero exit status, stdout a JSON object with a non-empty string "Error" →
///   Failure{Error, Cause} (Cause: the string, other JSON serialized, absent → none).
/// - other non-zero exit status → Failure{States.TaskFailed, stderr tail}, or
///   "command exited with status N" when stderr was empty.
/// - killed by a signal → Failure{States.TaskFailed, "command was killed by signal 9
///   (SIGKILL)"}, followed by "; stderr:\n<tail>" when stderr was not empty.
/// - cannot start → Failure{States.TaskFailed, "cannot run 'foo': No such file or
///   directory"} (or "cannot use working directory '/x': No such file or directory").
/// - invalid parameters → Failure{States.TaskFailed, "command task: ..."} naming the field.
/// - TaskRequest::timeout passed → the process group is stopped (SIGTERM, SIGKILL after
///   kill_grace) → Failure{States.Timeout, "command timed out after N seconds
///   (TimeoutSeconds)"}.
/// - TaskRequest::heartbeat passed without a line on stdout or stderr → the group is stopped
///   → Failure{States.Timeout, "command sent no heartbeat for N seconds (HeartbeatSeconds):
///   no line on stdout or stderr"} (AWS records an expired heartbeat as States.Timeout).
/// - cancelled (the awaiting coroutine's cancellation slot) → the group is stopped, then
///   boost::system::system_error(operation_aborted) is thrown, as by any Asio operation.
/// When the command exits, anything it left running in its process group is stopped too.
/// The command's environment holds FLOWSTATE_TASK=<execution id>/<invocation>
/// (task_processes.hpp): what it starts and that leaves its group is found by it, and stopped
/// with it, or by a later resume when flowstate died.
class CommandTask final : public TaskResource {
 public:
  explicit CommandTask(CommandTaskOptions options = {});

  boost::asio::awaitable<TaskResult> run(TaskRequest request) override;

 private:
  CommandTaskOptions options_;
};

}  // namespace flowstate::tasks
