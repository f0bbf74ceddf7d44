// RunningStates: what an execution is doing now, read from its progress tree
// (runtime::BranchProgress) for the live progress display: the states that take time —
// Tasks, Waits, retries, Maps with their counts, Parallels with their branches.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/asl/state_type.hpp"
#include "engine/runtime/progress.hpp"

namespace flowstate::cli {

/// A Map state's children: finished (done or, in a Distributed Map, failed and tolerated),
/// running and in all.
struct MapCounts {
  std::size_t done = 0;
  std::size_t failed = 0;
  std::size_t running = 0;
  std::size_t total = 0;
};

struct RunningState {
  const runtime::BranchProgress* branch = nullptr;
  std::size_t depth = 0;  ///< 0 for the top level, +1 inside each Parallel branch
  std::string_view name;
  asl::StateType type = asl::StateType::task;
  std::chrono::system_clock::time_point entered;
  /// A Wait or a retry's back-off: when it ends.
  std::optional<std::chrono::system_clock::time_point> sleeping_until;
  std::int64_t retry_count = 0;
  std::optional<MapCounts> map;  ///< a Map whose iterations have started
  /// A Parallel whose branches have started: how many finished, of how many.
  std::optional<std::pair<std::size_t, std::size_t>> branches;
};

/// The states running in `root` and below it, in tree order; a Map's iterations are counted,
/// not listed.
std::vector<RunningState> running_states(const runtime::BranchProgress& root);

/// The state `branch` is in, as a row (its children not counted).
RunningState running_state(const runtime::BranchProgress& branch, std::size_t depth = 0);

/// The state `branch` is in.
const definition::CompiledState& current_state(const runtime::BranchProgress& branch);

/// Whether `branch` runs inside a Map's iteration (or a Distributed Map's child execution).
bool inside_map(const runtime::BranchProgress& branch);

}  // namespace flowstate::cli
