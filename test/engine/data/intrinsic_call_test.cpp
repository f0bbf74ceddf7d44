// Tests of IntrinsicCall: the call grammar (literals, escapes, paths, nesting), load-time
// errors, and how arguments are read from the input, the context object and variables.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/intrinsic_call.hpp"
#include "engine/data/json_codec.hpp"

namespace {

namespace json = boost::json;
using flowstate::data::IntrinsicCall;
using flowstate::data::PathScope;

json::value parse(std::string_view text) {
  auto parsed = flowstate::data::parse_json(text);
  return parsed ? *parsed : json::value("unparsable test input");
}

// The compact JSON of the result, "error: <name>: <cause>" on failure, or
// "load: <message>" when the call does not compile.
std::string run(std::string_view text, const PathScope& scope) {
  auto call = IntrinsicCall::compile(text);
  if (!call) return "load: " + call.error();
  auto result = call->evaluate(scope);
  if (!result) {
    return "error: " + result.error().error.value_or("") + ": " +
           result.error().cause.value_or("");
  }
  return flowstate::data::serialize_json(*result);
}

std::string run(std::string_view text, std::string_view input = "{}") {
  json::value document = parse(input);
  return run(text, PathScope{document});
}

}  // namespace

TEST_CASE("IntrinsicCall: string literals unescape quote, braces and backslash", "[data][intrinsics]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {R"(States.Array('plain'))", R"(["plain"])"},
      {R"(States.Array(''))", R"([""])"},
      {R"(States.Array('it\'s'))", R"(["it's"])"},
      {R"(States.Array('\{\}'))", R"(["{}"])"},
      {R"(States.Array('back\\slash'))", R"(["back\\slash"])"},
      {R"x(States.Array('a, b)'))x", R"x(["a, b)"])x"},
      {R"(States.Array('{"k": 1}'))", R"(["{\"k\": 1}"])"},
      {R"(States.Array('$.not.a.path'))", R"(["$.not.a.path"])"},
  }));
  CAPTURE(text);
  CHECK(run(text) == expected);
}

TEST_CASE("IntrinsicCall: number and keyword literals", "[data][intrinsics]") {
  CHECK(run("States.Array(0, 42, -7, 1.5, -0.25, 10.0)") == "[0,42,-7,1.5,-0.25,10.0]");
  CHECK(run("States.Array(null, true, false)") == "[null,true,false]");
  CHECK(run("States.Array(9223372036854775807, 92233720368547758070)") ==
        "[9223372036854775807,92233720368547758080.0]");
}

TEST_CASE("IntrinsicCall: whitespace around names, arguments and commas is ignored",
          "[data][intrinsics]") {
  CHECK(run("  States.Array ( 1 ,  $.a ,'x' )  ", R"({"a": 2})") == R"([1,2,"x"])");
  CHECK(run("States.Array(\n1,\t2)") == "[1,2]");
}

TEST_CASE("IntrinsicCall: path arguments read the input, the context object and variables",
          "[data][intrinsics]") {
  json::value input = parse(R"({"a": {"b": [10, 20]}, "odd key": 1, "c,d": 2})");
  json::value context = parse(R"({"Execution": {"Name": "run-1"}, "StateMachine": {"Name": "m"}})");
  json::object variables;
  variables["count"] = 3;
  variables["user"] = parse(R"({"name": "Ada"})");
  PathScope scope{input, &context, &variables};
  CHECK(run("States.Array($)", scope) == R"([{"a":{"b":[10,20]},"odd key":1,"c,d":2}])");
  CHECK(run("States.Array($.a.b[1], $.a.b)", scope) == "[20,[10,20]]");
  CHECK(run("States.Array($['odd key'], $['c,d'])", scope) == "[1,2]");
  CHECK(run("States.ArrayLength($.a.b[?(@ > 15)])", scope) == "1");
  CHECK(run("States.Array($$.Execution.Name)", scope) == R"(["run-1"])");
  CHECK(run("States.Array($count, $user.name)", scope) == R"([3,"Ada"])");
  CHECK(run("States.Format('{}-{}', $$.StateMachine.Name, $count)", scope) == R"("m-3")");
}

TEST_CASE("IntrinsicCall: calls nest, up to 10 deep", "[data][intrinsics]") {
  json::value input = parse(R"({"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:1:image-recipe/my.recipe.v2/1.0.0"}})");
  // The nine-deep example from intrinsic-functions.html (whose template has one '{}' more
  // than it has values; here it has two).
  CHECK(run("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
            "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem("
            "States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), "
            "2), '.'), 1))",
            PathScope{input}) == R"("1.0")");
  json::value context = parse(R"({"StateMachine": {"Name": "alpha-beta-gamma"}})");
  json::value empty = parse("{}");
  PathScope scope{empty, &context};
  // Recorded: generic.nested_calls_1-00 and nested_calls_2-00.
  CHECK(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)", scope) ==
        R"("alpha")");
  CHECK(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
            "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), "
            "-1))",
            scope) == R"("gamma")");

  std::string ten = "States.Array(1)";
  for (int i = 1; i < 10; ++i) ten = "States.Array(" + ten + ")";
  CHECK(run(ten) == "[[[[[[[[[[1]]]]]]]]]]");
  CHECK(run("States.Array(" + ten + ")") ==
        "load: intrinsic functions nest at most 10 deep; 'States.Array' is nested 11 deep");
}

TEST_CASE("IntrinsicCall: malformed calls are load-time errors", "[data][intrinsics]") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"States.Frobnicate(1)", "unknown intrinsic function 'States.Frobnicate'"},
      {"states.array(1)", "unknown intrinsic function 'states.array'"},
      {"States.Array", "expected '(' after 'States.Array' at offset 12"},
      {"(1)", "expected an intrinsic function name at offset 0"},
      {"States.Array(1", "missing ')' to close 'States.Array('"},
      {"States.Array(1 2)", "expected ',' or ')' at offset 15 in the arguments of 'States.Array'"},
      {"States.Array(1,)", "unexpected ')' at offset 15"},
      {"States.Array(,1)", "unexpected ',' at offset 13"},
      {"States.Array(1) x", "unexpected 'x' after the end of the call at offset 16"},
      {"States.Array('abc)", "unterminated string starting at offset 13"},
      {R"(States.Array('abc\)", "open escape backslash at offset 17"},
      {R"(States.Array('a\nb'))",
       R"(invalid escape '\n' at offset 15: only \', \{, \} and \\ are escapes)"},
      {"States.Array(nil)", "invalid argument 'nil' at offset 13"},
      {"States.Array(\"x\")", "unexpected '\"' at offset 13"},
      {"States.Array(1.)", "invalid number at offset 13"},
      {"States.Array(-)", "invalid number at offset 13"},
      {"States.Array(12ab)", "invalid number at offset 13"},
      {"States.Array(1e400)", "invalid number at offset 13"},
      {"States.Array(Foo(1))", "unknown intrinsic function 'Foo'"},
  }));
  CAPTURE(text);
  CHECK(run(text) == "load: " + message);
}

TEST_CASE("IntrinsicCall: a path argument that matches nothing is States.Runtime",
          "[data][intrinsics]") {
  json::value input = parse(R"({"a": 1})");
  json::value context = parse(R"({"Execution": {}})");
  json::object variables;
  PathScope scope{input, &context, &variables};
  CHECK(run("States.Array($.missing)", scope) ==
        R"(error: States.Runtime: The JSONPath '$.missing' could not be found in the input '{"a":1}')");
  CHECK(run("States.Array($$.Execution.Id)", scope) ==
        R"(error: States.Runtime: The JSONPath '$$.Execution.Id' could not be found in the input '{"Execution":{}}')");
  CHECK(run("States.Array($nothing)", scope) ==
        "error: States.Runtime: The JSONPath '$nothing' could not be found: The variable "
        "'nothing' is not defined");
  // The first failing argument decides; nothing after it runs.
  CHECK(run("States.MathAdd($.missing, 'x')", scope) ==
        R"(error: States.Runtime: The JSONPath '$.missing' could not be found in the input '{"a":1}')");
}

TEST_CASE("IntrinsicCall: looks_like_call tells a call from a path", "[data][intrinsics]") {
  auto [text, expected] = GENERATE(table<std::string, bool>({
      {"States.Array()", true},
      {"  States.Format('{}', $.a) ", true},
      {"States.Frobnicate(1)", true},
      {"$.a", false},
      {"States.Array", false},
      {"States.Array(", false},
      {"", false},
      {"(1)", false},
  }));
  CAPTURE(text);
  CHECK(IntrinsicCall::looks_like_call(text) == expected);
}

TEST_CASE("IntrinsicCall: keeps its text and outer function name, and copies",
          "[data][intrinsics]") {
  auto call = IntrinsicCall::compile("States.ArrayLength(States.Array(1, 2))");
  REQUIRE(call.has_value());
  CHECK(call->text() == "States.ArrayLength(States.Array(1, 2))");
  CHECK(call->function_name() == "States.ArrayLength");
  IntrinsicCall copy = *call;
  IntrinsicCall moved = std::move(*call);
  json::value empty;
  auto from_copy = copy.evaluate(PathScope{empty});
  auto from_moved = moved.evaluate(PathScope{empty});
  REQUIRE(from_copy.has_value());
  REQUIRE(from_moved.has_value());
  CHECK(*from_copy == json::value(2));
  CHECK(*from_moved == json::value(2));
  CHECK(copy.function_name() == "States.ArrayLength");
}
