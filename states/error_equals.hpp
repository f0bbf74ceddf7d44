// The ErrorEquals list shared by retriers and catchers, with the spec's placement rules for
// States.ALL ("MUST appear alone in its ErrorEquals array and MUST be in the last
// Retrier/Catcher").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/field_reader.hpp"

namespace flowstate::states {

std::optional<std::vector<std::string>> read_error_equals(definition::FieldReader& reader,
                                                          bool is_last, std::string_view list_name);

}  // namespace flowstate::states
