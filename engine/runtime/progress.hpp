// BranchProgress: where a running execution is, as a tree that mirrors its running branches
// (the top level, Parallel branches, Map iterations). Each branch points at the state it is
// in, the input that state entered with, the state's retry counters, its running children and
// the outputs of the children that finished. Keeping it current costs a few pointer stores
// per transition; snapshot() copies it out as JSON only when asked — the checkpoint a durable
// EventSink writes together with each transition's events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/definition/plan.hpp"

namespace flowstate::runtime {

struct BranchProgress {
  const definition::StateMachine* machine = nullptr;
  BranchProgress* parent = nullptr;
  std::size_t position = 0;  ///< Parallel branch index or Map item index in the parent state
  std::size_t state = 0;     ///< the state this branch is in (index in `machine`)
  const boost::json::value* input = nullptr;           ///< the input that state entered with
  const std::vector<std::int64_t>* retries = nullptr;  ///< that state's per-retrier attempts
  std::vector<BranchProgress*> children;               ///< running inside that state
  /// For a Parallel or Map state: the output of every child that finished, by position.
  const std::vector<std::optional<boost::json::value>>* finished = nullptr;

  BranchProgress() = default;
  BranchProgress(const definition::StateMachine& machine, BranchProgress* parent,
                 std::size_t position);
  BranchProgress(const BranchProgress&) = delete;
  BranchProgress& operator=(const BranchProgress&) = delete;
  /// Leaves the parent's list of running children.
  ~BranchProgress();
};

/// The progress as JSON: {"state": NAME, "input": ..., "retries": [...],
/// "running": [{"position": i, ...}, ...], "finished": {"i": output, ...}}; {} before the
/// first state is entered.
boost::json::object snapshot(const BranchProgress& branch);

}  // namespace flowstate::runtime
