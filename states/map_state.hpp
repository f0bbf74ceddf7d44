// Map state: runs its ItemProcessor once per item of the array ItemsPath selects, at most
// MaxConcurrency at a time; the result is the array of iteration outputs in item order.
// ItemSelector (legacy: Parameters) builds each iteration's input, with the Map's effective
// input as "$" and the item as $$.Map.Item.Value. In Distributed mode the iterations are
// the child executions of a Map Run, with a tolerated-failure threshold.
#pragma once

#include <cstdint>
#include <optional>

#include <boost/json/array.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/data/payload_template.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/distributed_map_fields.hpp"
#include "states/jsonata_template.hpp"
#include "states/query_language.hpp"
#include "states/state_machine_ref.hpp"

namespace flowstate::states {

struct MapState {
  std::optional<data::JsonPath> items_path;  ///< absent: "$"
  std::optional<data::PayloadTemplate> item_selector;
  StateMachinePtr processor;
  std::int64_t max_concurrency = 0;  ///< 0: as many as the runtime allows
  std::optional<data::JsonPath> max_concurrency_path;
  bool item_selector_reads_context = false;
  /// JSONata: "Items" (an array, with expressions anywhere, or one expression building it)
  /// and "ItemSelector" (with $states.context.Map.Item).
  std::optional<JsonataTemplate> items_template;
  std::optional<JsonataTemplate> jsonata_item_selector;
  IntegerField jsonata_max_concurrency;  ///< JSONata: MaxConcurrency, a number or an expression
  /// ProcessorConfig.Mode DISTRIBUTED: the iterations are a Map Run's child executions.
  std::optional<DistributedMap> distributed;

  /// The items to iterate, inside the effective input (States.Runtime when not an array).
  boost::system::result<const boost::json::array*, asl::Failure> items(
      const data::PathScope& scope) const;
  /// MaxConcurrency for an effective input (MaxConcurrencyPath is read per run).
  boost::system::result<std::int64_t, asl::Failure> concurrency(const data::PathScope& scope) const;
};

/// Compiles an inline or Distributed Map (ProcessorConfig.Mode: DISTRIBUTED; also under the
/// legacy Iterator).
std::optional<MapState> compile_map_state(definition::FieldReader& reader,
                                          const NestedMachineCompiler& compile_machine,
                                          QueryLanguage language);

}  // namespace flowstate::states
