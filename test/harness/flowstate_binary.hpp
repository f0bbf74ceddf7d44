// FlowstateProcess: runs the built `flowstate` binary (FLOWSTATE_BINARY) as a real child
// process with arguments and stdin, and captures its stdout, stderr and exit code. Output
// is read with poll(), so a test can wait for a line on stderr (then signal the process)
// without sleeping. Header-only test harness.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "test/harness/temp_dir.hpp"

namespace flowstate::test {

/// Every test process gets a store of its own (FLOWSTATE_STORE), so tests running in
/// parallel never wait for each other's store lock; a test may still pass --store.
struct IsolatedStore {
  TempDir dir;
  IsolatedStore() { ::setenv("FLOWSTATE_STORE", (dir.path() / "store").c_str(), 1); }
};
inline IsolatedStore isolated_store;

struct CliResult {
  int exit_code = -1;  ///< the exit status, or 128 + signal when killed
  std::string out;
  std::string err;
};

class FlowstateProcess {
 public:
  /// Runs `program` with `args`; in `working_directory` when it is not empty.
  explicit FlowstateProcess(const std::vector<std::string>& args, const std::string& stdin_text = "",
                            const std::string& program = FLOWSTATE_BINARY,
                            const std::string& working_directory = "") {
    int in[2], out[2], err[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0)
      throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
      if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) ::_exit(126);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(program.c_str()));
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    // Small inputs fit in the pipe buffer; the child reads them when it wants to.
    std::string_view rest = stdin_text;
    while (!rest.empty()) {
      ssize_t n = ::write(in[1], rest.data(), rest.size());
      if (n <= 0) break;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ::close(in[1]);
  }
  FlowstateProcess(const FlowstateProcess&) = delete;
  FlowstateProcess& operator=(const FlowstateProcess&) = delete;
  ~FlowstateProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }

  pid_t pid() const { return pid_; }

  /// Reads output until stderr contains `text` (true) or `timeout` passes or both pipes
  /// close (false).
  bool wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (result_.err.find(text) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  void signal(int number) { ::kill(pid_, number); }

  /// What the process wrote on stderr so far (as read by wait_for_stderr).
  const std::string& stderr_text() const { return result_.err; }

  /// Whether stdout or stderr is still open (both close when the process exits).
  bool output_open() const { return out_fd_ >= 0 || err_fd_ >= 0; }

  /// Reads everything until both pipes close, then reaps the process.
  CliResult finish() {
    while (read_some(-1)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result_;
  }

 private:
  // One poll() round; false when both pipes are closed (or the wait timed out).
  bool read_some(int timeout_ms) {
    pollfd fds[2];
    nfds_t count = 0;
    if (out_fd_ >= 0) fds[count++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[count++] = {err_fd_, POLLIN, 0};
    if (count == 0) return false;
    int ready = ::poll(fds, count, timeout_ms);
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    for (nfds_t i = 0; i < count; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      bool is_out = fds[i].fd == out_fd_;
      if (n > 0) {
        (is_out ? result_.out : result_.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        (is_out ? out_fd_ : err_fd_) = -1;
      }
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  CliResult result_;
};

/// Runs flowstate with `args` and `stdin_text` to completion.
inline CliResult run_flowstate(const std::vector<std::string>& args,
                               const std::string& stdin_text = "") {
  FlowstateProcess process(args, stdin_text);
  return process.finish();
}

/// Runs flowstate with `args` to completion in `working_directory`.
inline CliResult run_flowstate_in(const std::string& working_directory,
                                  const std::vector<std::string>& args) {
  FlowstateProcess process(args, "", FLOWSTATE_BINARY, working_directory);
  return process.finish();
}

}  // namespace flowstate::test
