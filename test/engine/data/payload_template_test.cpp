// Tests of compiled payload templates (Parameters, ResultSelector, ItemSelector): the ".$"
// rule at any depth, literals that only look like paths, the three roots, intrinsic calls,
// and the exact States.Runtime cause when a path matches nothing.
#include "engine/data/payload_template.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::data {
namespace {

namespace json = boost::json;

json::value parse(std::string_view text) { return test::parse_json_text(text); }

struct Compiled {
  std::optional<PayloadTemplate> payload;
  std::vector<std::string> errors;
};

Compiled compile(std::string_view text) {
  Compiled compiled;
  json::value source = parse(text);
  compiled.payload = PayloadTemplate::compile(
      source, [&](const json::value&, std::string message) { compiled.errors.push_back(message); });
  return compiled;
}

/// Evaluates the template over `input` and returns compact JSON or "Error: Cause".
std::string evaluate(std::string_view payload, std::string_view input,
                     const json::value* context = nullptr,
                     const json::object* variables = nullptr) {
  Compiled compiled = compile(payload);
  INFO(payload);
  REQUIRE(compiled.errors.empty());
  REQUIRE(compiled.payload.has_value());
  json::value document = parse(input);
  auto result = compiled.payload->evaluate(PathScope{document, context, variables});
  if (!result) return result.error().error.value_or("") + ": " + result.error().cause.value_or("");
  return serialize_json(*result);
}

TEST_CASE("PayloadTemplate: keys ending in .$ are evaluated at any depth, inside arrays too",
          "[data][payload_template]") {
  CHECK(evaluate(R"~({"a.$": "$.x", "nested": {"b.$": "$.y[0]",
                     "arr": [1, {"c.$": "$.x"}, "$.x", [{"d.$": "$"}]]}, "n": null})~",
                 R"~({"x": 1, "y": [2]})~") ==
        R"~({"a":1,"nested":{"b":2,"arr":[1,{"c":1},"$.x",[{"d":{"x":1,"y":[2]}}]]},"n":null})~");
}

TEST_CASE("PayloadTemplate: strings without .$ stay literal even when they look like paths",
          "[data][payload_template]") {
  CHECK(evaluate(R"~({"a": "$.x", "b": "$x", "c": "$$.Execution.Id", "d": "States.Array(1)",
                     "e": ["$.x"]})~",
                 R"~({"x": 1})~") ==
        R"~({"a":"$.x","b":"$x","c":"$$.Execution.Id","d":"States.Array(1)","e":["$.x"]})~");
}

TEST_CASE("PayloadTemplate: a template without dynamic keys is its own value",
          "[data][payload_template]") {
  CHECK(evaluate(R"~({"k": [1, 2.0, {"z": true}]})~", "{}") == R"~({"k":[1,2.0,{"z":true}]})~");
  CHECK(evaluate(R"~([1, "two"])~", "{}") == R"~([1,"two"])~");
  CHECK(evaluate("{}", R"~({"x": 1})~") == "{}");
}

TEST_CASE("PayloadTemplate: indefinite paths give arrays and a definite one its node",
          "[data][payload_template]") {
  CHECK(evaluate(R"~({"ids.$": "$.items[*].id", "first.$": "$.items[0]",
                     "none.$": "$.items[?(@.id > 5)]"})~",
                 R"~({"items": [{"id": 1}, {"id": 2}]})~") ==
        R"~({"ids":[1,2],"first":{"id":1},"none":[]})~");
}

TEST_CASE("PayloadTemplate: $$ reads the context object and $name a variable",
          "[data][payload_template]") {
  json::value context = parse(R"~({"Execution": {"Id": "arn:e"}, "Map": {"Item": {"Index": 2}}})~");
  json::object variables = parse(R"~({"limit": 10})~").as_object();
  CHECK(evaluate(R"~({"id.$": "$$.Execution.Id", "i.$": "$$.Map.Item.Index",
                     "limit.$": "$limit"})~",
                 "{}", &context, &variables) == R"~({"id":"arn:e","i":2,"limit":10})~");
  CHECK(compile(R"~({"id.$": "$$.Execution.Id"})~").payload->reads_context());
  CHECK(compile(R"~({"n": {"s.$": "States.Format('{}', $$.State.Name)"}})~").payload->reads_context());
  CHECK_FALSE(compile(R"~({"id.$": "$.x", "lit": "$$.x"})~").payload->reads_context());
}

TEST_CASE("PayloadTemplate: intrinsic function calls are evaluated", "[data][payload_template]") {
  CHECK(evaluate(R"~({"greeting.$": "States.Format('Hello {}', $.name)",
                     "pair.$": "States.Array($.n, 'x')",
                     "text.$": "States.JsonToString($.obj)"})~",
                 R"~({"name": "ann", "n": 1.5, "obj": {"a": [1]}})~") ==
        R"~({"greeting":"Hello ann","pair":[1.5,"x"],"text":"{\"a\":[1]}"})~");
}

TEST_CASE("PayloadTemplate: a path that matches nothing is States.Runtime with AWS's cause",
          "[data][payload_template]") {
  CHECK(evaluate(R"~({"value.$": "$.missing"})~", R"~({"a": 1, "b": "x"})~") ==
        "States.Runtime: The JSONPath '$.missing' specified for the field 'value.$' could not be "
        "found in the input '{\"a\":1,\"b\":\"x\"}'");
  CHECK(evaluate(R"~({"outer": {"inner.$": "$.a.b"}})~", R"~({"c": 1})~") ==
        "States.Runtime: The JSONPath '$.a.b' specified for the field 'inner.$' could not be "
        "found in the input '{\"c\":1}'");
}

TEST_CASE("PayloadTemplate: load-time mistakes are reported, each once", "[data][payload_template]") {
  auto [payload, expected] = GENERATE(table<std::string, std::string>({
      {R"~({"a.$": "$.x", "a": 1})~", "the field 'a.$' and 'a' name the same key"},
      {R"~({"a.$": 5})~",
       "the value of 'a.$' must be a string holding a path or an intrinsic function call"},
      {R"~({"deep": {"a.$": ["$.x"]}})~",
       "the value of 'a.$' must be a string holding a path or an intrinsic function call"},
      {R"~({"a.$": "$.x["})~", "field 'a.$': '$.x[' is not a valid path: unexpected end of path at "
                             "offset 4"},
  }));
  CAPTURE(payload);
  Compiled compiled = compile(payload);
  CHECK_FALSE(compiled.payload.has_value());
  REQUIRE(compiled.errors.size() == 1);
  CHECK(compiled.errors[0] == expected);
}

TEST_CASE("PayloadTemplate: an unknown intrinsic function is a load-time error",
          "[data][payload_template]") {
  Compiled compiled = compile(R"~({"a.$": "States.Frobnicate(1)"})~");
  CHECK_FALSE(compiled.payload.has_value());
  REQUIRE(compiled.errors.size() == 1);
  CHECK(compiled.errors[0] == "field 'a.$': unknown intrinsic function 'States.Frobnicate'");
}

}  // namespace
}  // namespace flowstate::data
