// Where a resumed or redriven execution continues: the tree of branch checkpoints and
// finished outputs read back from the store, AWS's redrive rules applied to it, and the
// account `redrive --dry-run` prints of it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/definition/plan.hpp"
#include "engine/runtime/checkpoint.hpp"

namespace flowstate::durable {

/// The top-level branch's checkpoint with its running children and finished outputs; the
/// error names what does not fit the definition.
boost::system::result<runtime::Checkpoint, std::string> checkpoint_tree(
    const definition::StateMachine& machine,
    const std::map<std::string, boost::json::value>& checkpoints,
    const std::map<std::string, boost::json::value>& finished);

/// AWS redrive: the retry counters of every unsuccessful state start again from zero, and
/// a Task or Wait that did not finish is entered again with the input it had; a Map or
/// Parallel state keeps the outputs of its finished iterations/branches and runs only the
/// others again.
void prepare_redrive(runtime::Checkpoint& root, const definition::StateMachine& machine);

/// What would run again, one line per active state ("run again: Job2 (Task) with input
/// {...}"), and what is reused ("reused: 7 finished iterations of Fan").
std::vector<std::string> describe_resume(const runtime::Checkpoint& root,
                                         const definition::StateMachine& machine);

}  // namespace flowstate::durable
