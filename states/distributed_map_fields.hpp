// The fields only a Distributed Map accepts (ItemReader, ItemBatcher, ResultWriter, Label,
// ToleratedFailure*), checked for shape (asl-reference §1.9). The runtime does not run
// Distributed Maps yet, so nothing here is kept in the Plan.
#pragma once

#include "engine/definition/field_reader.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

/// Validates the Distributed Map fields of the Map state behind `map`; when `distributed` is
/// false (Mode INLINE), ItemReader, ItemBatcher, ResultWriter and Label are misplaced.
void compile_distributed_map_fields(definition::FieldReader& map, QueryLanguage language,
                                    bool distributed);

}  // namespace flowstate::states
