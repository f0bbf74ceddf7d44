// Launching and supervising a child process with Boost.Process v2 (header-only; the only file
// that includes it), plus the process-group kill that Process v2 does not provide.
#include "engine/tasks/child_process.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <fstream>
#include <string_view>
#include <system_error>

// Process v2 in Boost 1.81 uses Boost.Filesystem paths unless told otherwise, and Debian 12
// ships no Boost 1.81 filesystem library; std::filesystem does the same job. In that mode its
// headers forget three includes (boost::optional, boost::decay, boost::is_convertible), which
// Boost.Filesystem's headers would otherwise have brought in.
#define BOOST_PROCESS_USE_STD_FS 1
#include <boost/optional.hpp>
#include <boost/type_traits/decay.hpp>
#include <boost/type_traits/is_convertible.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/asio/write.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include "engine/tasks/task_processes.hpp"

namespace flowstate::tasks {
namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;
using Clock = std::chrono::steady_clock;
using ProcessHandle = bp::basic_process_handle<asio::any_io_executor>;

/// A stderr line longer than this is passed on in pieces, so that a child that never writes a
/// newline cannot make us buffer without bound.
constexpr std::size_t kMaxLineLength = 64 * 1024;
constexpr std::size_t kReadChunk = 64 * 1024;
/// How often the stop sequence looks at the group (only while stopping; the normal wait for
/// the child's exit is event-driven through a pidfd).
constexpr auto kStopPollInterval = std::chrono::milliseconds(10);
/// After SIGKILL, how long to wait for the group to be gone before giving up on stragglers
/// (a process stuck in uninterruptible sleep cannot be hurried).
constexpr auto kAfterKillWait = std::chrono::seconds(1);

// ---- launching ---------------------------------------------------------------------------

/// Initializer run in the child between fork and exec (async-signal-safe calls only): the
/// child leads a new process group, so one kill(-pgid) reaches everything it starts, and
/// gets SIGPIPE's default back (we ignore it, and ignored signals survive exec). It is also
/// killed when flowstate dies without stopping it (kill -9, the OOM killer): its result
/// could no longer be recorded, and a resume runs the task again, so an orphan would only
/// run alongside its replacement. (Processes the command starts itself are not reached that
/// way once it is gone.)
struct OwnProcessGroup {
  pid_t parent = ::getpid();

  bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&,
                               const char* const*) {
    if (::setpgid(0, 0) == -1) return bp::error_code(errno, bp::system_category());
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) return bp::error_code(errno, bp::system_category());
    if (::getppid() != parent) ::_exit(127);  // flowstate died before the line above
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigemptyset(&default_action.sa_mask);
    ::sigaction(SIGPIPE, &default_action, nullptr);
    sigset_t no_signals;
    ::sigemptyset(&no_signals);
    ::sigprocmask(SIG_SETMASK, &no_signals, nullptr);
    return {};
  }
};

/// Initializer that hands the launcher a prepared environment block.
struct EnvironmentBlock {
  std::vector<std::string> entries;  // "KEY=value"
  std::vector<const char*> pointers;

  bp::error_code on_setup(bp::posix::default_launcher& launcher, const bp::filesystem::path&,
                          const char* const*) {
    pointers.clear();
    for (const auto& entry : entries) pointers.push_back(entry.c_str());
    pointers.push_back(nullptr);
    launcher.env = pointers.data();
    return {};
  }
};

std::string_view key_of(std::string_view entry) { return entry.substr(0, entry.find('=')); }

/// The inherited environment with `overrides` applied.
EnvironmentBlock build_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  EnvironmentBlock block;
  for (char** entry = ::environ; entry && *entry; ++entry) {
    std::string_view key = key_of(*entry);
    bool overridden = false;
    for (const auto& [name, value] : overrides) overridden = overridden || name == key;
    if (!overridden) block.entries.emplace_back(*entry);
  }
  for (const auto& [name, value] : overrides) block.entries.push_back(name + "=" + value);
  return block;
}

/// Resolves argv[0] as execvp would: a name with a '/' is used as given (exec resolves a
/// relative one in the child, after it changed to its working directory); any other name is
/// searched in the PATH of the child's environment.
boost::system::result<std::string, std::error_code> find_program(
    const std::string& name, const EnvironmentBlock& environment) {
  if (name.find('/') != std::string::npos) return name;
  std::string_view path = "/bin:/usr/bin";  // glibc's execvp default when PATH is unset
  for (const auto& entry : environment.entries) {
    if (key_of(entry) == "PATH") path = std::string_view(entry).substr(5);
  }
  std::error_code error = std::make_error_code(std::errc::no_such_file_or_directory);
  while (true) {
    std::size_t colon = path.find(':');
    std::string_view directory = path.substr(0, colon);
    std::string candidate = directory.empty() ? name : fmt::format("{}/{}", directory, name);
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      error = std::make_error_code(std::errc::permission_denied);
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return error;
}

// ---- the process group -------------------------------------------------------------------

void signal_group(pid_t group, int signal) { ::kill(-group, signal); }

/// Whether `/proc/<pid>/stat` names a process of `group` that has not exited. Zombies do not
/// count: an orphan's zombie waits for init to reap it, and some container inits never do.
bool is_live_member(std::string_view pid, pid_t group) {
  std::ifstream file(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // "pid (comm) S ppid pgrp ...": comm may contain anything, so parse after the last ')'.
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  std::string_view rest = std::string_view(stat).substr(close + 2);
  char state = rest[0];
  if (state == 'Z' || state == 'X') return false;
  std::size_t ppid_start = rest.find(' ');
  std::size_t pgrp_start = rest.find(' ', ppid_start + 1);
  if (pgrp_start == std::string_view::npos) return false;
  rest.remove_prefix(pgrp_start + 1);
  pid_t pgrp = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), pgrp);
  return pgrp == group;
}

/// Whether any process of `group` is still running. kill(-group, 0) answers cheaply when the
/// group is empty; only when it says otherwise are the members looked for in /proc.
bool group_has_live_members(pid_t group) {
  if (::kill(-group, 0) == -1 && errno == ESRCH) return false;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return true;  // cannot tell; the caller then waits and kills
  bool found = false;
  while (dirent* entry = ::readdir(proc)) {
    std::string_view name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos) continue;
    if (is_live_member(name, group)) {
      found = true;
      break;
    }
  }
  ::closedir(proc);
  return found;
}

// ---- one run -----------------------------------------------------------------------------

/// Everything the concurrent parts of one run share. They all run on one executor, so plain
/// fields need no synchronisation.
struct Session {
  const ChildProcessOptions& options;
  asio::any_io_executor executor;
  pid_t pid = -1;
  ProcessHandle handle;
  asio::writable_pipe stdin_pipe;
  asio::readable_pipe stdout_pipe;
  asio::readable_pipe stderr_pipe;
  std::string output;
  Clock::time_point started = Clock::now();
  Clock::time_point last_heartbeat = started;
  bool reaped = false;
  int wait_status = 0;

  Session(const ChildProcessOptions& options, asio::any_io_executor executor)
      : options(options),
        executor(executor),
        handle(executor),
        stdin_pipe(executor),
        stdout_pipe(executor),
        stderr_pipe(executor) {}
};

/// A pause that no cancellation can cut short: the stop sequence must run to its end.
asio::awaitable<void> pause(Session& session, Clock::duration duration) {
  asio::steady_timer timer(session.executor, duration);
  co_await timer.async_wait(
      asio::bind_cancellation_slot(asio::cancellation_slot(), asio::as_tuple(asio::use_awaitable)));
}

/// Reaps the child if it has exited. waitpid on our own unreaped child cannot hit a reused
/// pid, and nothing else waits for this pid.
bool try_reap(Session& session) {
  if (session.reaped) return true;
  int status = 0;
  pid_t result = ::waitpid(session.pid, &status, WNOHANG);
  if (result == 0 || (result == -1 && errno == EINTR)) return false;
  session.reaped = true;
  session.wait_status = result == session.pid ? status : 0;
  return true;
}

bool group_finished(Session& session) {
  return try_reap(session) && !group_has_live_members(session.pid);
}

/// Reaps the members of the group this process adopted as a child subreaper (once the child
/// itself is reaped: waiting for the group would otherwise take its status).
void reap_adopted(Session& session) {
  if (!session.reaped) return;
  while (::waitpid(-session.pid, nullptr, WNOHANG) > 0) {
  }
}

/// The task's processes that left its group (setsid, a daemon's double fork) and were
/// adopted by this process once their parents in the group were gone: SIGTERM, SIGKILL after
/// the grace period, reaped.
asio::awaitable<void> stop_escaped(Session& session) {
  if (session.options.task_marker.empty()) co_return;
  std::vector<pid_t> escaped =
      processes_marked(session.options.task_marker, MarkerMatch::exact, ProcessScope::own_children);
  if (escaped.empty()) co_return;
  // Reaped ones leave the list at once: their pids may be reused.
  auto any_left = [&] {
    std::erase_if(escaped, [](pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) != 0; });
    return !escaped.empty();
  };
  for (pid_t pid : escaped) ::kill(pid, SIGTERM);
  Clock::time_point kill_at = Clock::now() + session.options.kill_grace;
  while (any_left() && Clock::now() < kill_at) co_await pause(session, kStopPollInterval);
  for (pid_t pid : escaped) ::kill(pid, SIGKILL);
  Clock::time_point give_up_at = Clock::now() + kAfterKillWait;
  while (any_left() && Clock::now() < give_up_at) co_await pause(session, kStopPollInterval);
}

/// SIGTERM to the group; SIGKILL to whatever is left after the grace period; then wait until
/// the child is reaped and the group is gone.
asio::awaitable<void> stop_group_members(Session& session) {
  if (group_finished(session)) co_return;
  signal_group(session.pid, SIGTERM);
  Clock::time_point kill_at = Clock::now() + session.options.kill_grace;
  while (!group_finished(session) && Clock::now() < kill_at) {
    co_await pause(session, kStopPollInterval);
  }
  if (group_finished(session)) co_return;
  signal_group(session.pid, SIGKILL);
  Clock::time_point give_up_at = Clock::now() + kAfterKillWait;
  while (!try_reap(session) ||
         (group_has_live_members(session.pid) && Clock::now() < give_up_at)) {
    co_await pause(session, kStopPollInterval);
  }
}

/// Stops everything the task started: its group, then what left the group.
asio::awaitable<void> stop_process_group(Session& session) {
  co_await stop_group_members(session);
  reap_adopted(session);
  co_await stop_escaped(session);
}

asio::awaitable<void> write_input(Session& session) {
  if (!session.options.standard_input.empty()) {
    // A child that exits or closes stdin before reading it all makes this fail with EPIPE;
    // that is the child's choice, not an error of ours.
    co_await asio::async_write(session.stdin_pipe, asio::buffer(session.options.standard_input),
                               asio::as_tuple(asio::use_awaitable));
  }
  boost::system::error_code ignored;
  session.stdin_pipe.close(ignored);
}

/// Reads one chunk; false at end of file. Cancellation and real errors throw.
asio::awaitable<bool> read_chunk(asio::readable_pipe& pipe, std::string& buffer,
                                 std::size_t& size) {
  buffer.resize(kReadChunk);
  auto [error, count] =
      co_await pipe.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
  size = count;
  if (error == asio::error::eof) co_return false;
  if (error) throw boost::system::system_error(error, "reading the output of a child process");
  co_return true;
}

asio::awaitable<void> read_output(Session& session) {
  std::string chunk;
  std::size_t size = 0;
  while (co_await read_chunk(session.stdout_pipe, chunk, size)) {
    std::string_view data(chunk.data(), size);
    if (data.find('\n') != std::string_view::npos) session.last_heartbeat = Clock::now();
    session.output.append(data);
  }
}

asio::awaitable<void> read_log(Session& session) {
  std::string chunk;
  std::string line;
  std::size_t size = 0;
  auto emit = [&] {
    if (session.options.on_stderr_line) session.options.on_stderr_line(line);
    line.clear();
  };
  while (co_await read_chunk(session.stderr_pipe, chunk, size)) {
    for (char c : std::string_view(chunk.data(), size)) {
      if (c == '\n') {
        session.last_heartbeat = Clock::now();
        emit();
      } else {
        line.push_back(c);
        if (line.size() >= kMaxLineLength) emit();
      }
    }
  }
  if (!line.empty()) emit();
}

asio::awaitable<void> wait_for_exit(Session& session) {
  auto [error, status] = co_await session.handle.async_wait(asio::as_tuple(asio::use_awaitable));
  if (error) throw boost::system::system_error(error, "waiting for a child process");
  session.reaped = true;
  session.wait_status = status;
  // Whatever the command left running in its group would hold our pipes open and outlive
  // the task.
  if (group_has_live_members(session.pid)) co_await stop_process_group(session);
  else reap_adopted(session);
}

asio::awaitable<void> communicate(Session& session) {
  using namespace asio::experimental::awaitable_operators;
  co_await (write_input(session) && read_output(session) && read_log(session) &&
            wait_for_exit(session));
}

/// Completes when a limit is reached; runs until cancelled when there is none.
asio::awaitable<ProcessEnd> watch_limits(Session& session) {
  asio::steady_timer timer(session.executor);
  const auto& options = session.options;
  while (true) {
    Clock::time_point deadline = Clock::time_point::max();
    ProcessEnd reason = ProcessEnd::time_limit_reached;
    if (options.time_limit) deadline = session.started + *options.time_limit;
    if (options.silence_limit && session.last_heartbeat + *options.silence_limit < deadline) {
      deadline = session.last_heartbeat + *options.silence_limit;
      reason = ProcessEnd::silence_limit_reached;
    }
    if (Clock::now() >= deadline) co_return reason;
    // A heartbeat moves the deadline later; waking early and looking again is enough.
    timer.expires_at(deadline);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

boost::system::result<ProcessOutcome, LaunchError> outcome_of(Session& session) {
  ProcessOutcome outcome;
  if (WIFSIGNALED(session.wait_status)) {
    outcome.end = ProcessEnd::killed_by_signal;
    outcome.code = WTERMSIG(session.wait_status);
  } else {
    outcome.code = WEXITSTATUS(session.wait_status);
  }
  outcome.standard_output = std::move(session.output);
  return outcome;
}

/// Reaps a child whose exec failed; it exits at once, so this wait is short.
asio::awaitable<void> reap_failed_child(asio::any_io_executor executor, pid_t pid) {
  ProcessHandle handle(executor, pid);
  co_await handle.async_wait(
      asio::bind_cancellation_slot(asio::cancellation_slot(), asio::as_tuple(asio::use_awaitable)));
}

void ignore_sigpipe_once() {
  static const bool ignored = [] {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    return ::sigaction(SIGPIPE, &ignore, nullptr) == 0;
  }();
  (void)ignored;
}

}  // namespace

asio::awaitable<boost::system::result<ProcessOutcome, LaunchError>> run_child_process(
    ChildProcessOptions options) {
  auto executor = co_await asio::this_coro::executor;
  auto cancellation = co_await asio::this_coro::cancellation_state;
  if (cancellation.cancelled() != asio::cancellation_type::none) {
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (options.argv.empty()) co_return LaunchError{"cannot run a command without argv"};
  ignore_sigpipe_once();

  if (!options.task_marker.empty()) options.environment.emplace_back(std::string(kTaskVariable), options.task_marker);
  EnvironmentBlock environment = build_environment(options.environment);
  auto program = find_program(options.argv.front(), environment);
  if (!program) {
    co_return LaunchError{
        fmt::format("cannot run '{}': {}", options.argv.front(), program.error().message())};
  }
  if (options.working_directory) {
    // Checked here for a clear message; the child's chdir would report only an errno.
    struct stat info {};
    int error = ::stat(options.working_directory->c_str(), &info) == -1 ? errno
                : S_ISDIR(info.st_mode)                                 ? 0
                                                                        : ENOTDIR;
    if (error != 0) {
      co_return LaunchError{fmt::format("cannot use working directory '{}': {}",
                                        *options.working_directory, std::strerror(error))};
    }
  }

  Session session(options, executor);
  std::vector<const char*> argv;
  for (const auto& argument : options.argv) argv.push_back(argument.c_str());
  argv.push_back(nullptr);

  bp::posix::default_launcher launcher;
  bp::error_code launch_error;
  {
    // The stdio initializer owns the child's ends of the pipes; it must die right after the
    // launch so that our reads see end of file when the child's side closes.
    bp::process_stdio stdio{session.stdin_pipe, session.stdout_pipe, session.stderr_pipe};
    std::optional<bp::process_start_dir> start_dir;
    if (options.working_directory) start_dir.emplace(*options.working_directory);
    auto launch = [&](auto&... extra) {
      return launcher(executor, launch_error, bp::filesystem::path(*program), argv.data(),
                      OwnProcessGroup{}, environment, stdio, extra...);
    };
    auto process = start_dir ? launch(*start_dir) : launch();
    if (!launch_error) {
      session.pid = process.id();
      session.handle = process.detach();
    }
  }
  if (launch_error) {
    if (launcher.pid > 0) co_await reap_failed_child(executor, launcher.pid);
    co_return LaunchError{
        fmt::format("cannot run '{}': {}", options.argv.front(), launch_error.message())};
  }

  // From here on the child must be stopped and reaped whatever happens, so cancellation is
  // observed, not thrown at the next co_await: restore the caller's setting afterwards.
  bool throw_if_cancelled = co_await asio::this_coro::throw_if_cancelled();
  co_await asio::this_coro::throw_if_cancelled(false);

  auto [order, communicate_error, watch_error, limit] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(executor, communicate(session), asio::deferred),
          asio::co_spawn(executor, watch_limits(session), asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);

  bool finished = order[0] == 0 && !communicate_error;
  bool limit_reached = order[0] == 1 && !watch_error;
  if (!finished) co_await stop_process_group(session);

  cancellation = co_await asio::this_coro::cancellation_state;
  bool cancelled = cancellation.cancelled() != asio::cancellation_type::none;
  co_await asio::this_coro::throw_if_cancelled(throw_if_cancelled);
  if (cancelled) throw boost::system::system_error(asio::error::operation_aborted);
  if (limit_reached) co_return ProcessOutcome{limit, 0, std::move(session.output)};
  if (!finished) std::rethrow_exception(communicate_error ? communicate_error : watch_error);
  co_return outcome_of(session);
}

}  // namespace flowstate::tasks
