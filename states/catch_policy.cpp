#include "states/catch_policy.hpp"

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "states/error_equals.hpp"

namespace flowstate::states {

const Catcher* CatchPolicy::select(std::string_view error) const {
  for (const Catcher& catcher : catchers)
    if (asl::error_name::matches_any(catcher.error_equals, error)) return &catcher;
  return nullptr;
}

CatchPolicy compile_catch_policy(definition::FieldReader& state, QueryLanguage language) {
  CatchPolicy policy;
  const boost::json::value* list = state.field("Catch");
  if (!list) return policy;
  if (!list->is_array()) {
    state.error_at(*list, fmt::format("'Catch' must be an array of catchers, not {}",
                                      definition::describe_kind(*list)));
    return policy;
  }
  const auto& array = list->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    definition::FieldReader reader(array[i], fmt::format("Catch[{}] of {}", i, state.owner()),
                                   state);
    if (!reader.is_object()) continue;
    Catcher catcher;
    if (auto errors = read_error_equals(reader, i + 1 == array.size(), "Catch"))
      catcher.error_equals = std::move(*errors);
    if (auto next = reader.string("Next", definition::Presence::required))
      catcher.next_name = std::move(*next);
    if (!reject_for_language(reader, "ResultPath", language))
      if (auto result_path = compile_result_path(reader, "ResultPath"))
        catcher.result_path = std::move(*result_path);
    catcher.output = compile_output(reader, language, fmt::format("Catch[{}]/Output", i));
    catcher.assign = compile_assign(reader, language, fmt::format("Catch[{}]/Assign", i));
    reader.allow({"Comment"});
    reader.report_unknown_fields();
    policy.catchers.push_back(std::move(catcher));
  }
  return policy;
}

}  // namespace flowstate::states
