// The JSONPath input/output pipeline of a state, written once for every state type:
// InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
// Failures are detail-only States.Runtime / States.ResultPathMatchFailure values.
#pragma once

#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"
#include "states/map_state.hpp"
#include "states/state_fields.hpp"

namespace flowstate::runtime {

using ValueResult = boost::system::result<boost::json::value, asl::Failure>;

/// The values between the stages of a state's pipeline that TestState's inspectionData shows
/// (state_test.hpp).
enum class PipelineStage {
  after_input_path,
  after_parameters,
  after_arguments,  ///< JSONata
  result,           ///< the work's raw result
  after_result_selector,
  after_result_path,
};

/// Sees each stage's value as a state runs: TestState's DEBUG inspection. Executions have
/// none, and pay one null test per stage.
class PipelineObserver {
 public:
  virtual ~PipelineObserver() = default;
  virtual void observe(PipelineStage stage, const boost::json::value& value) = 0;
};

/// What paths read besides the value they apply to: the context object ("$$", built only
/// for states that read it) and the workflow variables visible to the state ("$name").
struct Lookups {
  const boost::json::value* context = nullptr;
  const boost::json::object* variables = nullptr;
  /// JSONata states: $states.input (the state's input), and where the field may read them,
  /// $states.result and $states.errorOutput.
  const boost::json::value* state_input = nullptr;
  const boost::json::value* result = nullptr;
  const boost::json::value* error_output = nullptr;
  PipelineObserver* observer = nullptr;  ///< null in executions

  void observe(PipelineStage stage, const boost::json::value& value) const {
    if (observer) observer->observe(stage, value);
  }
  data::PathScope over(const boost::json::value& input) const { return {input, context, variables}; }
  states::JsonataScope jsonata() const { return {state_input, context, result, error_output, variables}; }
};

/// InputPath or OutputPath applied to `value`.
ValueResult apply_filter_path(const states::FilterPath& path, boost::json::value value,
                              const Lookups& lookups);

/// The same, for a value the caller keeps: only the selected part is copied.
ValueResult select_filter_path(const states::FilterPath& path, const boost::json::value& value,
                               const Lookups& lookups);

/// InputPath, then Parameters when the state has them: the effective input. JSONata states:
/// Arguments, else the input.
ValueResult effective_input(const states::StateFields& fields, const boost::json::value& raw_input,
                            const Lookups& lookups);

/// ResultSelector (over the raw result), ResultPath (into the raw input), OutputPath.
/// JSONata states: Output (with $states.result), else the result.
ValueResult state_output(const states::StateFields& fields, boost::json::value raw_input,
                         boost::json::value result, const Lookups& lookups);

/// A JSONata Output (a Pass's, Choice's, Wait's, Succeed's, a rule's or a Catcher's), else
/// `value`. `value` is moved from only when there is no Output, so `lookups` may point at it
/// ($states.input, $states.errorOutput).
ValueResult apply_output(const std::optional<states::JsonataTemplate>& output, boost::json::value&& value,
                         const Lookups& lookups);

/// The input of a Map's item `index` (an iteration, or a Map Run's child): its ItemSelector
/// evaluated — JSONPath over `map_input`, or JSONata — with $$.Map.Item added to
/// `item_context` (the Map's context object, when the selector reads it); else the item.
ValueResult map_item_input(const states::MapState& map, const boost::json::value& map_input,
                           const boost::json::array& items, std::size_t index,
                           const std::optional<boost::json::object>& item_context,
                           const Lookups& lookups);

/// An Assign (a state's, a Choice rule's or a Catcher's) evaluated with the variables as they
/// were when the state was entered — JSONPath: "$" = `value`; JSONata: what `lookups` binds —
/// the variables it sets, by name; nullopt without an Assign. A value over 256 KiB, or values
/// over 256 KiB together, fail with States.DataLimitExceeded, as AWS limits them.
using AssignResult = boost::system::result<std::optional<boost::json::object>, asl::Failure>;
AssignResult assigned_variables(const states::Assignment& assign, const boost::json::value& value,
                                const Lookups& lookups);

/// ResultPath alone (also a Catcher's): places `result` into `raw_input`.
ValueResult apply_result_path(const states::ResultPath& path, boost::json::value raw_input,
                              boost::json::value result);

}  // namespace flowstate::runtime
