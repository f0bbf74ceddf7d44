// The JSONPath input/output pipeline of a state, written once for every state type:
// InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
// Failures are detail-only States.Runtime / States.ResultPathMatchFailure values.
#pragma once

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"
#include "states/state_fields.hpp"

namespace flowstate::runtime {

using ValueResult = boost::system::result<boost::json::value, asl::Failure>;

/// InputPath or OutputPath applied to `value` ("$$" paths read `context`).
ValueResult apply_filter_path(const states::FilterPath& path, boost::json::value value,
                              const boost::json::value* context);

/// The same, for a value the caller keeps: only the selected part is copied.
ValueResult select_filter_path(const states::FilterPath& path, const boost::json::value& value,
                               const boost::json::value* context);

/// InputPath, then Parameters when the state has them: the effective input.
ValueResult effective_input(const states::StateFields& fields, const boost::json::value& raw_input,
                            const boost::json::value* context);

/// ResultSelector (over the raw result), ResultPath (into the raw input), OutputPath.
ValueResult state_output(const states::StateFields& fields, boost::json::value raw_input,
                         boost::json::value result, const boost::json::value* context);

/// ResultPath alone (also a Catcher's): places `result` into `raw_input`.
ValueResult apply_result_path(const states::ResultPath& path, boost::json::value raw_input,
                              boost::json::value result);

}  // namespace flowstate::runtime
