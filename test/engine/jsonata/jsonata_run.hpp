// run_jsonata: compiles and evaluates a JSONata expression in a test and renders the outcome
// as one string — compact JSON, "undefined", or "error CODE@position: message".
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/jsonata/expression.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::jsonata::test {

inline std::string describe(const Error& e) {
  return "error " + e.code + "@" + std::to_string(e.position) + ": " + e.message;
}

inline std::string run_jsonata(std::string_view text, std::string_view input = "null",
                               const Bindings& bindings = {}, const EvaluationLimits& limits = {}) {
  auto compiled = Expression::compile(text);
  if (!compiled) return describe(compiled.error());
  boost::json::value data = flowstate::test::parse_json_text(input);
  auto result = compiled->evaluate(&data, bindings, limits);
  if (!result) return describe(result.error());
  if (!*result) return "undefined";
  return data::serialize_json(**result);
}

/// Only the code of an error ("error T2001"), or the result as run_jsonata gives it.
inline std::string run_code(std::string_view text, std::string_view input = "null") {
  std::string out = run_jsonata(text, input);
  if (out.rfind("error ", 0) == 0) return out.substr(0, out.find('@'));
  return out;
}

}  // namespace flowstate::jsonata::test
