#include "engine/runtime/progress.hpp"

#include <algorithm>

namespace flowstate::runtime {

BranchProgress::BranchProgress(const definition::StateMachine& machine_, BranchProgress* parent_,
                               std::size_t position_)
    : machine(&machine_), parent(parent_), position(position_), state(machine_.start) {
  if (!parent) return;
  parent->children.push_back(this);
  variables = parent->variables;
}

void assign_variables(BranchProgress& branch, const boost::json::object& assigned) {
  if (assigned.empty()) return;
  auto updated = branch.variables ? std::make_shared<boost::json::object>(*branch.variables)
                                  : std::make_shared<boost::json::object>();
  for (const auto& member : assigned) (*updated)[member.key()] = member.value();
  branch.variables = std::move(updated);
}

BranchProgress::~BranchProgress() {
  if (!parent) return;
  auto& siblings = parent->children;
  siblings.erase(std::remove(siblings.begin(), siblings.end(), this), siblings.end());
}

std::string branch_path(const BranchProgress& branch) {
  std::size_t depth = 0;
  for (const BranchProgress* b = &branch; b->parent; b = b->parent) ++depth;
  std::string path(depth * 4, '\0');
  std::size_t end = path.size();
  for (const BranchProgress* b = &branch; b->parent; b = b->parent) {
    auto position = static_cast<std::uint32_t>(b->position);
    for (int i = 3; i >= 0; --i) {
      path[end - 4 + static_cast<std::size_t>(i)] = static_cast<char>(position & 0xff);
      position >>= 8;
    }
    end -= 4;
  }
  return path;
}

std::string branch_label(const BranchProgress& branch) {
  if (!branch.parent) return {};
  std::string parent = branch_label(*branch.parent);
  return parent.empty() ? std::to_string(branch.position)
                        : parent + "." + std::to_string(branch.position);
}

}  // namespace flowstate::runtime
