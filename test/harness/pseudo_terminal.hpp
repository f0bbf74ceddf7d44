// PseudoTerminal: runs the built `flowstate` binary with its stdin, stdout and stderr on a
// pseudo-terminal (forkpty), as a user at a terminal runs it, and captures everything the
// terminal receives. Header-only test harness.
#pragma once

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flowstate::test {

class PseudoTerminal {
 public:
  /// Runs FLOWSTATE_BINARY with `args` on a new terminal of 120 columns, with TERM=xterm.
  explicit PseudoTerminal(const std::vector<std::string>& args) {
    winsize size{};
    size.ws_row = 40;
    size.ws_col = 120;
    pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ < 0) throw std::runtime_error("forkpty failed");
    if (pid_ == 0) {
      ::setenv("TERM", "xterm", 1);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(FLOWSTATE_BINARY));
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(FLOWSTATE_BINARY, argv.data());
      ::_exit(127);
    }
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;
  ~PseudoTerminal() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(master_);
  }

  /// Reads until the terminal has received `text` (true), or `timeout` passes or the
  /// terminal closes (false).
  bool wait_for(std::string_view text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(text) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  /// Reads until the program closes the terminal, then reaps it; returns its exit status.
  int finish() {
    while (read_some(-1)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Everything the terminal received so far (the pty turns "\n" into "\r\n").
  const std::string& received() const { return received_; }

 private:
  bool read_some(int timeout_ms) {
    pollfd fd{master_, POLLIN, 0};
    int ready = ::poll(&fd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    char buffer[4096];
    ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n <= 0) return false;  // EIO once the program has closed its side
    received_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int master_ = -1;
  bool reaped_ = false;
  std::string received_;
};

}  // namespace flowstate::test
