#include "tools/flowstate/running_states.hpp"

#include <algorithm>

namespace flowstate::cli {

namespace {

MapCounts map_counts(const runtime::BranchProgress& map) {
  MapCounts counts;
  counts.total = map.finished->size();
  std::size_t finished = static_cast<std::size_t>(
      std::count_if(map.finished->begin(), map.finished->end(), [](const auto& output) { return output.has_value(); }));
  counts.failed = std::min(map.failed_children, finished);
  counts.done = finished - counts.failed;
  counts.running = map.children.size();
  return counts;
}

void collect(const runtime::BranchProgress& branch, std::size_t depth, std::vector<RunningState>& out) {
  // Only the states that suspend are entered in the progress tree; the others take no time.
  if (branch.entered == 0) return;
  const definition::CompiledState& state = current_state(branch);
  RunningState running = running_state(branch, depth);
  // `finished` points at the running attempt's outputs only while its children run.
  bool children_run = branch.started != 0 && branch.finished != nullptr;
  if (state.fields.type == asl::StateType::map && children_run) running.map = map_counts(branch);
  if (state.fields.type == asl::StateType::parallel && children_run) {
    std::size_t finished = static_cast<std::size_t>(std::count_if(
        branch.finished->begin(), branch.finished->end(), [](const auto& output) { return output.has_value(); }));
    running.branches = std::make_pair(finished, branch.finished->size());
  }
  out.push_back(running);
  if (state.fields.type != asl::StateType::parallel || !children_run) return;
  std::vector<const runtime::BranchProgress*> children(branch.children.begin(), branch.children.end());
  std::sort(children.begin(), children.end(), [](auto* a, auto* b) { return a->position < b->position; });
  for (const auto* child : children) collect(*child, depth + 1, out);
}

}  // namespace

RunningState running_state(const runtime::BranchProgress& branch, std::size_t depth) {
  const definition::CompiledState& state = current_state(branch);
  RunningState running;
  running.branch = &branch;
  running.depth = depth;
  running.name = state.fields.name;
  running.type = state.fields.type;
  running.entered = branch.entered_time;
  if (branch.sleeping_until != std::chrono::system_clock::time_point{}) running.sleeping_until = branch.sleeping_until;
  running.retry_count = branch.retry_count;
  return running;
}

const definition::CompiledState& current_state(const runtime::BranchProgress& branch) {
  return branch.machine->states[branch.state];
}

std::vector<RunningState> running_states(const runtime::BranchProgress& root) {
  std::vector<RunningState> states;
  collect(root, 0, states);
  return states;
}

bool inside_map(const runtime::BranchProgress& branch) {
  for (const auto* parent = branch.parent; parent; parent = parent->parent)
    if (current_state(*parent).fields.type == asl::StateType::map) return true;
  return false;
}

}  // namespace flowstate::cli
