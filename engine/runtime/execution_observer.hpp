// ExecutionObserver: lets a display (the CLI's live progress) follow a running execution
// without the runtime printing anything or paying for it when nobody watches (a null check
// per state entered). The observer reads the branches it is shown; it must not keep them
// past finished().
#pragma once

#include "engine/runtime/progress.hpp"

namespace flowstate::runtime {

class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  /// The execution's top-level branch: it and the branches below it (its `children`) may be
  /// read, on the execution's io_context, until finished().
  virtual void started(const BranchProgress& root) = 0;
  /// `branch` entered the state `branch.state` (its *StateEntered was just recorded).
  virtual void entered(const BranchProgress& branch) = 0;
  /// `branch` sleeps until `branch.sleeping_until`: in a Wait state, or backing off before a
  /// retry (`branch.retry_count` counts the retries, this one included).
  virtual void sleeping(const BranchProgress& branch) = 0;
  /// The top-level branch is gone.
  virtual void finished() = 0;
};

}  // namespace flowstate::runtime
