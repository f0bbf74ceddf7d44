// without_execution_names: `flowstate run --format json` output with the execution's "id",
// "name" and "executionArn" taken out, for tests that check the rest of it exactly (the ids
// and generated names differ from run to run). Header-only test harness.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::test {

/// The compact JSON of `text`'s object without its "id", "name" and "executionArn", and a
/// newline, as flowstate prints it.
inline std::string without_execution_names(std::string_view text) {
  boost::json::value value = parse_json_text(text);
  REQUIRE(value.is_object());
  boost::json::object rest;  // erase() would reorder the members
  for (const auto& [key, member] : value.as_object())
    if (key != "id" && key != "name" && key != "executionArn") rest[key] = member;
  return data::serialize_json(rest) + "\n";
}

}  // namespace flowstate::test
