// TaskProcesses: every process a command task starts carries FLOWSTATE_TASK=<execution
// id>/<invocation> in its environment (what it starts inherits it), so a task's processes
// are found even when they left its process group or outlived flowstate (kill -9): a task's
// end stops those that left its group, and a resume or a stop stops what an earlier run left
// behind before anything runs again.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace flowstate::tasks {

inline constexpr std::string_view kTaskVariable = "FLOWSTATE_TASK";
/// How long what a dead process's tasks left running gets between SIGTERM and SIGKILL (a
/// command's own kill grace, command_task.hpp).
inline constexpr std::chrono::seconds kLeftoverGrace{2};

/// The FLOWSTATE_TASK value of a task invocation; without a store id (`--no-store`), this
/// process's id stands for the execution's.
std::string task_marker(std::string_view execution_id, std::string_view invocation);

/// The FLOWSTATE_TASK value in the environment of process `pid`, or "" (none, not ours to
/// read, gone).
std::string task_marker_of(pid_t pid);

/// Where processes_marked looks: this process's children (cheap: what a child subreaper
/// adopted is among them), or every process this user may read.
enum class ProcessScope { own_children, all_processes };
/// How a FLOWSTATE_TASK value is compared: equal to the marker, or starting with it.
enum class MarkerMatch { exact, prefix };

/// The live processes in `scope` whose FLOWSTATE_TASK matches `marker`; never this process
/// or its ancestors.
std::vector<pid_t> processes_marked(std::string_view marker, MarkerMatch match, ProcessScope scope);

/// Stops what an earlier run of execution `execution_id` left running (its process died
/// without stopping its tasks): SIGTERM to each process found, SIGKILL to what is left after
/// `grace`. Blocks until they are gone (or a second after SIGKILL); returns how many there were.
std::size_t stop_leftover_processes(std::string_view execution_id, std::chrono::steady_clock::duration grace);

/// Whether process `pid` is alive and not a zombie.
bool process_alive(pid_t pid);

}  // namespace flowstate::tasks
