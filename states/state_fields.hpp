// StateFields: the compiled fields every state shares — name, Next/End, the JSONPath
// input/output pipeline (InputPath, Parameters, ResultSelector, ResultPath, OutputPath),
// Retry and Catch — compiled by one function for all eight state types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/asl/state_type.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/payload_template.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/catch_policy.hpp"
#include "states/path_fields.hpp"
#include "states/query_language.hpp"
#include "states/retry_policy.hpp"

namespace flowstate::states {

/// A transition target: the state's name as written and, once the compiler has resolved it,
/// its index in the enclosing States block.
struct Transition {
  std::string name;
  std::size_t index = 0;
};

struct StateFields {
  std::string name;
  asl::StateType type = asl::StateType::pass;
  /// The state's own QueryLanguage, or else the state machine's (never the enclosing
  /// Parallel's or Map's: asl-reference §1.0).
  QueryLanguage query_language = QueryLanguage::jsonpath;
  std::optional<Transition> next;  ///< absent: End (or a terminal/Choice state)
  FilterPath input_path;
  std::optional<data::PayloadTemplate> parameters;
  std::optional<data::PayloadTemplate> result_selector;
  ResultPath result_path;
  FilterPath output_path;
  RetryPolicy retry;
  CatchPolicy catch_policy;
  /// "Assign": the workflow variables the state sets when it succeeds (a Choice: when its
  /// Default is taken).
  Assignment assign;
  /// JSONata states: "Arguments" (Task, Parallel) and "Output".
  std::optional<JsonataTemplate> arguments;
  std::optional<JsonataTemplate> output;
  /// Whether any field of the state reads the context object ("$$"), so the runtime builds
  /// it only for the states that need it.
  bool reads_context = false;
};

/// Compiles the shared fields of the state object behind `reader`. The caller has already
/// read "Type"; the rules of which fields each type accepts (ASL spec, "Common State Fields"
/// table) are applied here, so a misplaced field is reported once, in one place, together
/// with which fields the state's query language accepts (asl-reference §4.2).
/// `machine_language` is the top-level QueryLanguage.
StateFields compile_state_fields(definition::FieldReader& reader, std::string name,
                                 asl::StateType type, QueryLanguage machine_language);

}  // namespace flowstate::states
