// The fields only a Distributed Map accepts (ItemReader, ItemBatcher, ResultWriter, Label,
// ToleratedFailure*), checked for shape (asl-reference §1.9), and what the runtime keeps of
// them: the Label that names the Map Run and the tolerated-failure threshold, read per run
// as AWS reads it. ItemReader, ItemBatcher and ResultWriter validate but are recorded as
// not supported yet (Plan::unsupported): flowstate's Map Runs iterate inline items only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/jsonata_template.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

/// How many failed child executions a Map Run tolerates: "If you specify both, the workflow
/// fails when it exceeds either value" (DG-map-dist, maprun-fail-threshold). With neither
/// given, none is tolerated.
struct FailureTolerance {
  std::optional<std::int64_t> count;
  std::optional<double> percentage;

  /// The failure percentage is failed (and timed-out) items over all items.
  bool exceeded(std::size_t failed, std::size_t total) const;
};

/// ProcessorConfig.ExecutionType: what a redrive does with a failed child. A STANDARD child
/// is redriven from the state where it failed; an EXPRESS one, which AWS cannot redrive, is
/// started again from the ItemProcessor's StartAt (DG-redrive-maprun).
enum class ChildExecutionType { standard, express };

struct DistributedMap {
  std::string label;  ///< "" when absent (the Map Run ARN then carries a UUID)
  ChildExecutionType execution_type = ChildExecutionType::standard;
  std::optional<std::int64_t> tolerated_failure_count;
  std::optional<data::JsonPath> tolerated_failure_count_path;
  std::optional<double> tolerated_failure_percentage;
  std::optional<data::JsonPath> tolerated_failure_percentage_path;
  /// JSONata: ToleratedFailureCount / ToleratedFailurePercentage written as expressions,
  /// reading $states.input (the Map's input), $states.context and the variables.
  std::optional<JsonataTemplate> tolerated_failure_count_expression;
  std::optional<JsonataTemplate> tolerated_failure_percentage_expression;

  /// The threshold for one Map Run, the *Path forms read from the effective input; a bad
  /// value is States.Runtime with AWS's cause (conformance:
  /// base_scenarios.map_state_tolerated_failure_{count,percentage}_path~*).
  boost::system::result<FailureTolerance, asl::Failure> tolerance(const data::PathScope& scope) const;
};

/// Validates the Distributed Map fields of the Map state behind `map`; when `distributed` is
/// false (Mode INLINE), ItemReader, ItemBatcher, ResultWriter and Label are misplaced and
/// nothing is returned. ToleratedFailure* are accepted on an inline Map and have no effect
/// there, as on AWS.
std::optional<DistributedMap> compile_distributed_map_fields(definition::FieldReader& map,
                                                             QueryLanguage language,
                                                             bool distributed);

}  // namespace flowstate::states
