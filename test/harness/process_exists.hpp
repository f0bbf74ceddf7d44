// process_exists: whether a process id still names a process (a zombie counts), for tests
// that check nothing is left running.
#pragma once

#include <cerrno>
#include <csignal>

#include <sys/types.h>

namespace flowstate::test {

inline bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace flowstate::test
