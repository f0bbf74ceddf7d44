#include "engine/runtime/progress.hpp"

#include <algorithm>
#include <string>

#include <boost/json/array.hpp>

namespace flowstate::runtime {

namespace json = boost::json;

BranchProgress::BranchProgress(const definition::StateMachine& machine_, BranchProgress* parent_,
                               std::size_t position_)
    : machine(&machine_), parent(parent_), position(position_), state(machine_.start) {
  if (parent) parent->children.push_back(this);
}

BranchProgress::~BranchProgress() {
  if (!parent) return;
  auto& siblings = parent->children;
  siblings.erase(std::remove(siblings.begin(), siblings.end(), this), siblings.end());
}

json::object snapshot(const BranchProgress& branch) {
  json::object out;
  if (!branch.machine || !branch.input) return out;
  if (branch.parent) out["position"] = branch.position;
  out["state"] = branch.machine->states[branch.state].fields.name;
  out["input"] = *branch.input;
  if (branch.retries) out["retries"] = json::array(branch.retries->begin(), branch.retries->end());
  if (!branch.children.empty()) {
    std::vector<const BranchProgress*> running(branch.children.begin(), branch.children.end());
    std::sort(running.begin(), running.end(),
              [](const BranchProgress* a, const BranchProgress* b) { return a->position < b->position; });
    json::array children;
    for (const BranchProgress* child : running) children.push_back(snapshot(*child));
    out["running"] = std::move(children);
  }
  if (branch.finished) {
    json::object finished;
    for (std::size_t i = 0; i < branch.finished->size(); ++i)
      if ((*branch.finished)[i]) finished[std::to_string(i)] = *(*branch.finished)[i];
    out["finished"] = std::move(finished);
  }
  return out;
}

}  // namespace flowstate::runtime
