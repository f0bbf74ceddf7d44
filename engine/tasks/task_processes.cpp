#include "engine/tasks/task_processes.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <thread>

#include <fmt/format.h>

namespace flowstate::tasks {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kAfterKillWait = std::chrono::seconds(1);

std::string read_all(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// "pid (comm) S ppid ...": comm may hold anything, so the fields are read after the last ')'.
struct ProcessStat {
  char state = 'X';
  pid_t parent = 0;
};

ProcessStat stat_of(pid_t pid) {
  std::string stat = read_all(fmt::format("/proc/{}/stat", pid));
  ProcessStat result;
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 4 >= stat.size()) return result;
  std::string_view rest = std::string_view(stat).substr(close + 2);
  result.state = rest[0];
  rest.remove_prefix(2);
  std::from_chars(rest.data(), rest.data() + rest.size(), result.parent);
  return result;
}

std::vector<pid_t> numbers_in(std::string_view text) {
  std::vector<pid_t> pids;
  while (!text.empty()) {
    std::size_t start = text.find_first_of("0123456789");
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    pid_t pid = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (error == std::errc()) pids.push_back(pid);
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  }
  return pids;
}

std::vector<pid_t> every_process() {
  std::vector<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = ::readdir(proc)) {
    std::string_view name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos) continue;
    pids.push_back(numbers_in(name).front());
  }
  ::closedir(proc);
  return pids;
}

// This process's children: each thread's /proc children list (orphans a child subreaper
// adopts are listed under one of them), or, on a kernel without those lists, every process
// whose parent this one is.
std::vector<pid_t> own_children() {
  std::vector<pid_t> children;
  if (::access(fmt::format("/proc/self/task/{}/children", ::getpid()).c_str(), R_OK) != 0) {
    pid_t self = ::getpid();
    for (pid_t pid : every_process())
      if (stat_of(pid).parent == self) children.push_back(pid);
    return children;
  }
  DIR* threads = ::opendir("/proc/self/task");
  if (threads == nullptr) return children;
  while (dirent* entry = ::readdir(threads)) {
    if (entry->d_name[0] == '.') continue;
    for (pid_t pid : numbers_in(read_all(fmt::format("/proc/self/task/{}/children", entry->d_name))))
      children.push_back(pid);
  }
  ::closedir(threads);
  return children;
}

// This process and the processes above it: a resume started by a task of the execution it
// resumes must not stop itself.
std::vector<pid_t> self_and_ancestors() {
  std::vector<pid_t> pids;
  for (pid_t pid = ::getpid(); pid > 1 && pids.size() < 64; pid = stat_of(pid).parent) pids.push_back(pid);
  return pids;
}

}  // namespace

std::string task_marker(std::string_view execution_id, std::string_view invocation) {
  if (execution_id.empty()) return fmt::format("process-{}/{}", ::getpid(), invocation);
  return fmt::format("{}/{}", execution_id, invocation);
}

std::string task_marker_of(pid_t pid) {
  std::string environment = read_all(fmt::format("/proc/{}/environ", pid));
  std::string_view rest = environment;
  while (!rest.empty()) {
    std::size_t end = std::min(rest.find('\0'), rest.size());
    std::string_view entry = rest.substr(0, end);
    if (entry.size() > kTaskVariable.size() && entry.starts_with(kTaskVariable) && entry[kTaskVariable.size()] == '=')
      return std::string(entry.substr(kTaskVariable.size() + 1));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  return {};
}

bool process_alive(pid_t pid) {
  if (::kill(pid, 0) == -1 && errno == ESRCH) return false;
  char state = stat_of(pid).state;
  return state != 'Z' && state != 'X';
}

std::vector<pid_t> processes_marked(std::string_view marker, MarkerMatch match, ProcessScope scope) {
  std::vector<pid_t> candidates = scope == ProcessScope::own_children ? own_children() : every_process();
  if (candidates.empty()) return {};
  std::vector<pid_t> excluded = self_and_ancestors();
  std::vector<pid_t> found;
  for (pid_t pid : candidates) {
    if (std::find(excluded.begin(), excluded.end(), pid) != excluded.end()) continue;
    std::string value = task_marker_of(pid);
    bool matches = match == MarkerMatch::exact ? value == marker : value.starts_with(marker);
    if (matches && process_alive(pid)) found.push_back(pid);
  }
  return found;
}

std::size_t stop_leftover_processes(std::string_view execution_id, std::chrono::steady_clock::duration grace) {
  if (execution_id.empty()) return 0;
  std::vector<pid_t> leftovers =
      processes_marked(fmt::format("{}/", execution_id), MarkerMatch::prefix, ProcessScope::all_processes);
  if (leftovers.empty()) return 0;
  std::size_t found = leftovers.size();
  // Dead ones leave the list at once: their pids may be reused.
  auto any_left = [&] {
    std::erase_if(leftovers, [](pid_t pid) { return !process_alive(pid); });
    return !leftovers.empty();
  };
  for (pid_t pid : leftovers) ::kill(pid, SIGTERM);
  auto kill_at = std::chrono::steady_clock::now() + grace;
  while (any_left() && std::chrono::steady_clock::now() < kill_at) std::this_thread::sleep_for(kPollInterval);
  for (pid_t pid : leftovers) ::kill(pid, SIGKILL);
  auto give_up_at = std::chrono::steady_clock::now() + kAfterKillWait;
  while (any_left() && std::chrono::steady_clock::now() < give_up_at) std::this_thread::sleep_for(kPollInterval);
  return found;
}

}  // namespace flowstate::tasks
