// Tests of the JSON intrinsics (StringToJson, JsonToString, JsonMerge); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/json_manipulation.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

namespace json = boost::json;
using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.StringToJson: parses the JSON text a string holds", "[data][intrinsics]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"", "null"},
      {" ", "null"},
      {"null", "null"},
      {"-0", "0"},
      {"1", "1"},
      {"1.1", "1.1"},
      {"true", "true"},
      {"\"HelloWorld\"", R"("HelloWorld")"},
      {"[1, 2, \"HelloWorld\"]", R"([1,2,"HelloWorld"])"},
      {"{\"Arg1\": 1, \"Arg2\": []}", R"({"Arg1":1,"Arg2":[]})"},
  }));
  CAPTURE(text);
  json::object input;
  input["s"] = text;
  CHECK(run("States.StringToJson($.s)", flowstate::data::serialize_json(input)).output ==
        expected);
}

TEST_CASE("States.StringToJson: a literal may hold unescaped braces", "[data][intrinsics]") {
  CHECK(run(R"(States.StringToJson('{"constant_in_literal": "false"}'))").output ==
        R"({"constant_in_literal":"false"})");
}

TEST_CASE("States.JsonToString: prints compact JSON", "[data][intrinsics]") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"null", R"("null")"},
      {"0", R"("0")"},
      {"1", R"("1")"},
      {"1.1", R"("1.1")"},
      {"1.0", R"("1.0")"},
      {"true", R"("true")"},
      {R"("HelloWorld")", R"("\"HelloWorld\"")"},
      {R"([1, 2, "HelloWorld"])", R"("[1,2,\"HelloWorld\"]")"},
      {R"({"Arg1": 1, "Arg2": []})", R"("{\"Arg1\":1,\"Arg2\":[]}")"},
      {"12345678901234567890", R"("12345678901234567890")"},
  }));
  CAPTURE(value);
  CHECK(run("States.JsonToString($.v)", R"({"v": )" + value + "}").output == expected);
}

TEST_CASE("States.JsonMerge: merges shallowly, the second object winning",
          "[data][intrinsics]") {
  CHECK(run("States.JsonMerge($.a, $.b, false)",
            R"({"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}})")
            .output == R"({"a":{"a3":1,"a4":2},"b":2,"c":3,"d":4})");
  CHECK(run("States.JsonMerge($.a, $.b, false)", R"({"a": {}, "b": {}})").output == "{}");
}

TEST_CASE("States.JsonMerge: orders members as AWS's Java HashMap does", "[data][intrinsics]") {
  CHECK(run(R"(States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $.f, false))",
            R"({"f": {"constant_input_field": "constant_value"}})")
            .output ==
        R"({"constant_input_field":"constant_value","constant_in_literal":"false"})");
  CHECK(run("States.JsonMerge($.a, $.b, false)", R"({"a": {"d": 1, "c": 2}, "b": {"b": 3, "a": 4}})")
            .output == R"({"a":4,"b":3,"c":2,"d":1})");
}

TEST_CASE("JSON intrinsics: bad arguments fail with States.Runtime and say why",
          "[data][intrinsics]") {
  auto [call, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"States.StringToJson($.s)", R"({"s": "{\"a\": }"})",
       R"(Invalid arguments in States.StringToJson: the argument is not valid JSON (syntax error at line 1, column 7): "{\"a\": }")"},
      {"States.StringToJson($.s)", R"({"s": 5})",
       "Invalid arguments in States.StringToJson: the argument must be a string, but was 5"},
      {"States.JsonMerge($.a, $.b, false)", R"({"a": [], "b": {}})",
       "Invalid arguments in States.JsonMerge: the first argument must be an object, but was []"},
      {"States.JsonMerge($.a, $.b, false)", R"({"a": {}, "b": "x"})",
       R"(Invalid arguments in States.JsonMerge: the second argument must be an object, but was "x")"},
      {"States.JsonMerge($.a, $.b, $.deep)", R"({"a": {}, "b": {}, "deep": true})",
       "Invalid arguments in States.JsonMerge: the third argument must be false (deep merge is "
       "not supported), but was true"},
  }));
  CAPTURE(call, input);
  auto outcome = run(call, input);
  CHECK(outcome.error == "States.Runtime");
  CHECK(outcome.cause == cause);
}

TEST_CASE("JSON intrinsics: argument rules known at load are load errors", "[data][intrinsics]") {
  auto [call, message] = GENERATE(table<std::string, std::string>({
      {"States.JsonToString('x')", "the argument of States.JsonToString must be a path"},
      {"States.JsonToString(States.Array())",
       "the argument of States.JsonToString must be a path"},
      {"States.JsonMerge($.a, $.b, true)",
       "the third argument of States.JsonMerge must be false (deep merge is not supported)"},
      {"States.JsonMerge($.a, $.b)", "States.JsonMerge takes 3 arguments, but 2 were given"},
      {"States.StringToJson()", "States.StringToJson takes 1 argument, but 0 were given"},
      {"States.JsonToString($.a, $.b)",
       "States.JsonToString takes 1 argument, but 2 were given"},
  }));
  CAPTURE(call);
  auto outcome = run(call);
  CHECK(outcome.error == "load");
  CHECK(outcome.cause == message);
}
