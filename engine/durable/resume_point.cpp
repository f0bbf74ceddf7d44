#include "engine/durable/resume_point.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/store/key_encoding.hpp"

namespace flowstate::durable {

namespace json = boost::json;
using Tree = boost::system::result<runtime::Checkpoint, std::string>;
using Entries = std::map<std::string, json::value>;

namespace {

constexpr std::size_t kLevel = 4;  // bytes per level of a branch path

// Entries directly under `path` (one level deeper), with their positions.
template <typename Visit>
void each_child(const Entries& entries, const std::string& path, Visit&& visit) {
  for (auto it = entries.lower_bound(path); it != entries.end(); ++it) {
    if (!std::string_view(it->first).starts_with(path)) break;
    if (it->first.size() != path.size() + kLevel) continue;
    visit(static_cast<std::size_t>(store::read_u32_be(std::string_view(it->first).substr(path.size()))),
          it->first, it->second);
  }
}

Tree build(const definition::StateMachine& machine, const Entries& checkpoints,
           const Entries& finished, const std::string& path) {
  auto found = checkpoints.find(path);
  if (found == checkpoints.end())
    return Tree(boost::system::in_place_error, "a branch without a checkpoint");
  auto checkpoint = runtime::read_checkpoint(machine, found->second);
  if (!checkpoint) return checkpoint;
  if (!checkpoint->started) return checkpoint;
  const definition::CompiledState& state = machine.states[checkpoint->state];
  std::string error;
  each_child(checkpoints, path, [&](std::size_t position, const std::string& child_path, const json::value&) {
    const definition::StateMachine* child = runtime::child_machine(state, position);
    if (!child) {
      error = fmt::format("state '{}' has no branch {}", state.fields.name, position);
      return;
    }
    auto tree = build(*child, checkpoints, finished, child_path);
    if (!tree) {
      error = tree.error();
      return;
    }
    tree->position = position;
    checkpoint->running.push_back(std::move(*tree));
  });
  if (!error.empty()) return Tree(boost::system::in_place_error, error);
  each_child(finished, path, [&](std::size_t position, const std::string&, const json::value& output) {
    checkpoint->finished.emplace_back(position, output);
  });
  return checkpoint;
}

}  // namespace

Tree checkpoint_tree(const definition::StateMachine& machine, const Entries& checkpoints,
                     const Entries& finished) {
  return build(machine, checkpoints, finished, std::string());
}

void prepare_redrive(runtime::Checkpoint& checkpoint, const definition::StateMachine& machine) {
  checkpoint.retries.assign(checkpoint.retries.size(), 0);
  checkpoint.retry_count = 0;
  if (!checkpoint.in_state()) return;
  const definition::CompiledState& state = machine.states[checkpoint.state];
  if (checkpoint.started) {
    for (runtime::Checkpoint& child : checkpoint.running) {
      child.restarted = true;
      if (const auto* child_machine = runtime::child_machine(state, child.position))
        prepare_redrive(child, *child_machine);
    }
    return;
  }
  // Entered again: the new *StateEntered follows the branch's last event.
  checkpoint.previous = checkpoint.last;
  checkpoint.entered = 0;
  checkpoint.retries.clear();
}

namespace {

void describe(const runtime::Checkpoint& checkpoint, const definition::StateMachine& machine,
              const std::string& where, std::vector<std::string>& lines) {
  const definition::CompiledState& state = machine.states[checkpoint.state];
  std::string type(asl::to_string(state.fields.type));
  if (!checkpoint.started) {
    lines.push_back(fmt::format("run again: {}{} ({}) with input {}", where, state.fields.name, type,
                                data::serialize_json(checkpoint.input)));
    return;
  }
  // A Distributed Map child that failed keeps its checkpoint beside its error output: it is
  // not reused, it runs again.
  std::size_t reused = 0;
  for (const auto& [position, output] : checkpoint.finished)
    reused += std::none_of(checkpoint.running.begin(), checkpoint.running.end(),
                           [&](const runtime::Checkpoint& child) { return child.position == position; });
  lines.push_back(fmt::format("continue: {}{} ({}): {} finished reused, {} running again, the rest "
                              "not started yet",
                              where, state.fields.name, type, reused, checkpoint.running.size()));
  for (const runtime::Checkpoint& child : checkpoint.running)
    if (const auto* child_machine = runtime::child_machine(state, child.position))
      describe(child, *child_machine, fmt::format("{}{}[{}] > ", where, state.fields.name, child.position),
               lines);
}

}  // namespace

std::vector<std::string> describe_resume(const runtime::Checkpoint& root,
                                         const definition::StateMachine& machine) {
  std::vector<std::string> lines;
  describe(root, machine, "", lines);
  return lines;
}

}  // namespace flowstate::durable
