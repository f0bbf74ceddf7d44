// ChildProcess: runs one local program to its end in a process group of its own, feeding its
// stdin and draining its stdout and stderr concurrently, so that nothing it starts outlives it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

namespace flowstate::tasks {

struct ChildProcessOptions {
  /// argv[0] is a path (containing a '/', relative ones resolve against working_directory)
  /// or a program name looked up in PATH (the PATH of the child's environment).
  std::vector<std::string> argv;
  /// Set on top of the environment this process inherited (replacing same-named entries).
  std::vector<std::pair<std::string, std::string>> environment;
  std::optional<std::string> working_directory;
  /// Written to the child's stdin, which is then closed.
  std::string standard_input;
  /// Longest run time; reaching it stops the process group.
  std::optional<std::chrono::steady_clock::duration> time_limit;
  /// Longest time without a complete line on stdout or stderr (a heartbeat); exceeding it
  /// stops the process group.
  std::optional<std::chrono::steady_clock::duration> silence_limit;
  /// Stopping sends SIGTERM to the group, then SIGKILL to what is left after this long.
  std::chrono::steady_clock::duration kill_grace = std::chrono::seconds(2);
  /// The child's FLOWSTATE_TASK (task_processes.hpp); when set, the processes carrying it
  /// that left the child's process group (and were adopted by this process, a child
  /// subreaper) are stopped with the group.
  std::string task_marker;
  /// Receives each line of stderr (without its newline) as it arrives.
  std::function<void(std::string_view line)> on_stderr_line;
};

enum class ProcessEnd {
  exited,                 ///< ended by itself; `code` is its exit status
  killed_by_signal,       ///< ended by a signal it did not handle; `code` is the signal
  time_limit_reached,     ///< stopped by us: time_limit passed
  silence_limit_reached,  ///< stopped by us: silence_limit passed without a line of output
};

struct ProcessOutcome {
  ProcessEnd end = ProcessEnd::exited;
  int code = 0;
  std::string standard_output;  ///< everything written to stdout
};

/// The program could not be started; `message` reads "cannot run 'foo': No such file or
/// directory" or "cannot use working directory '/x': Not a directory".
struct LaunchError {
  std::string message;
};

/// Starts `options.argv` and completes when the child has exited and its output is drained.
///
/// The child is the leader of a new process group. When it exits, anything it left running in
/// that group is stopped (SIGTERM, then SIGKILL after kill_grace) before this completes, so
/// that no background process holds the pipes open or outlives the task; so are the processes
/// of options.task_marker that left the group, when this process is a child subreaper
/// (prctl PR_SET_CHILD_SUBREAPER) that adopted them. Members of the group it adopted are
/// reaped. The same happens
/// when a limit is reached, and when the awaiting coroutine is cancelled (its cancellation
/// slot: a lost `||` race, a failed Parallel sibling, Ctrl-C); after a cancellation this
/// throws boost::system::system_error(operation_aborted), as any Asio operation does. The
/// child is always reaped, so no zombie remains.
///
/// Runs on the caller's executor: no threads, no blocking waits. It sets SIGPIPE to ignored
/// in this process (once), so that writing to a child that closed its stdin is an error
/// rather than fatal; children get the default disposition back.
boost::asio::awaitable<boost::system::result<ProcessOutcome, LaunchError>> run_child_process(
    ChildProcessOptions options);

}  // namespace flowstate::tasks
