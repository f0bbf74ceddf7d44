// Plan: the immutable, compiled form of a state machine. Every path, template, intrinsic call
// and Choice rule is parsed, and every Next is resolved to an index, before anything runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/definition/diagnostic.hpp"
#include "states/choice_state.hpp"
#include "states/fail_state.hpp"
#include "states/map_state.hpp"
#include "states/parallel_state.hpp"
#include "states/pass_state.hpp"
#include "states/state_fields.hpp"
#include "states/succeed_state.hpp"
#include "states/task_state.hpp"
#include "states/wait_state.hpp"

namespace flowstate::definition {

using StateBody = std::variant<states::PassState, states::TaskState, states::ChoiceState,
                               states::WaitState, states::SucceedState, states::FailState,
                               states::ParallelState, states::MapState>;

struct CompiledState {
  states::StateFields fields;
  StateBody body;
};

/// One States block: the top level, a Parallel branch or a Map ItemProcessor.
struct StateMachine {
  std::vector<CompiledState> states;
  std::size_t start = 0;

  /// The index of the state named `name`, if it is in this block.
  std::optional<std::size_t> find(std::string_view name) const;
  /// Whether a state named `name` is in this block or in a Parallel branch or Map
  /// ItemProcessor inside it, at any depth.
  bool defines(std::string_view name) const;
};

struct Plan {
  StateMachine machine;
  std::optional<std::int64_t> timeout_seconds;  ///< the machine's TimeoutSeconds
  std::filesystem::path source;                 ///< the definition file
  std::string name;  ///< the state machine's name: machine_name_of(source)
  /// Features the definition validly uses but the runtime cannot run yet (JSONata, Assign,
  /// Distributed Map), each where it is written. `flowstate validate` accepts such a plan;
  /// `flowstate run` refuses it before starting, printing these.
  std::vector<Diagnostic> unsupported;
};

/// The state machine name a definition file gives: its file name without the extension, and
/// without ".asl" before it (job.asl.json, job.asl.yaml, job.yaml → "job"), as AWS's tools
/// name the files of the machine "job".
std::string machine_name_of(const std::filesystem::path& file);

}  // namespace flowstate::definition
