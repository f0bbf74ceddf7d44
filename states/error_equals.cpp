#include "states/error_equals.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"

namespace flowstate::states {

std::optional<std::vector<std::string>> read_error_equals(definition::FieldReader& reader,
                                                          bool is_last, std::string_view list_name) {
  auto errors = reader.string_list("ErrorEquals", definition::Presence::required);
  if (!errors) return std::nullopt;
  const boost::json::value* node = reader.field("ErrorEquals");
  for (std::size_t i = 0; i < errors->size(); ++i) {
    const std::string& name = (*errors)[i];
    const auto& element = node->get_array()[i];
    // Other names starting with "States." are not refused: the specification reserves the
    // prefix, yet AWS deploys and runs machines that raise their own "States.QuorumMet" from a
    // Fail state and catch it by name (published AWS samples); they match by exact name.
    if (name == asl::error_name::kAll) {
      if (errors->size() != 1)
        reader.error_at(element, fmt::format("\"States.ALL\" must appear alone in the "
                                             "'ErrorEquals' of {}; move the other names to an "
                                             "earlier entry",
                                             reader.owner()));
      else if (!is_last)
        reader.error_at(element, fmt::format("\"States.ALL\" must be in the last entry of "
                                             "'{}'; move this entry to the end of the list",
                                             list_name));
    }
  }
  return errors;
}

}  // namespace flowstate::states
