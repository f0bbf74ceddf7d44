// A nested States block (a Parallel branch or a Map ItemProcessor) held by a state. The
// StateMachine type lives in definition/plan.hpp, above this layer; states hold it through
// this owning pointer, whose deleter is defined where the type is complete (plan.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/json/value.hpp>

namespace flowstate::definition {
struct StateMachine;
}

namespace flowstate::states {

struct StateMachineDeleter {
  void operator()(definition::StateMachine* machine) const;
};

using StateMachinePtr = std::unique_ptr<definition::StateMachine, StateMachineDeleter>;

/// Which object holds a nested States block: a Parallel branch accepts StartAt, States and
/// Comment; a Map ItemProcessor also ProcessorConfig (which the Map state reads).
enum class NestedBlock { branch, item_processor };

/// Compiles a nested States block (the compiler supplies it, since compiling whole machines is
/// its job). Returns null after reporting diagnostics.
using NestedMachineCompiler = std::function<StateMachinePtr(const boost::json::value& block,
                                                            std::string owner, NestedBlock kind)>;

}  // namespace flowstate::states
