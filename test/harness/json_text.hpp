// parse_json_text: JSON text written in a test, as a value (the test fails if it is not JSON).
#pragma once

#include <string_view>

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"

namespace flowstate::test {

inline boost::json::value parse_json_text(std::string_view text) {
  auto parsed = data::parse_json(text);
  INFO(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

}  // namespace flowstate::test
