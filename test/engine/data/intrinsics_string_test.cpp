// Tests of the string intrinsics (States.Format, States.StringSplit); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/generic.format_*, string_operations.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

namespace json = boost::json;
using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.Format: inserts strings raw and other scalars as JSON text",
          "[data][intrinsics]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {R"({"v": ""})", R"("Formatting argument .")"},
      {R"({"v": " "})", R"("Formatting argument  .")"},
      {R"({"v": "HelloWorld"})", R"("Formatting argument HelloWorld.")"},
      {R"({"v": null})", R"("Formatting argument null.")"},
      {R"({"v": 1})", R"("Formatting argument 1.")"},
      {R"({"v": 1.1})", R"("Formatting argument 1.1.")"},
      {R"({"v": true})", R"("Formatting argument true.")"},
      {R"({"v": "{\"Arg1\": 1, \"Arg2\": []}"})",
       R"("Formatting argument {\"Arg1\": 1, \"Arg2\": []}.")"},
  }));
  CAPTURE(input);
  CHECK(run("States.Format('Formatting argument {}.', $.v)", input).output == expected);
}

TEST_CASE("States.Format: renders objects and arrays Java-style", "[data][intrinsics]") {
  CHECK(run("States.Format('fst={} and snd={}.', $.a, $.b)",
            R"({"a": {"Arg1": 1, "Arg2": []}, "b": {"Arg1": 1, "Arg2": []}})")
            .output == R"("fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")");
  CHECK(run("States.Format('{}', $)", R"({"Id": "arn:x", "Name": "m", "n": [1, "s", null]})")
            .output == R"("{Id=arn:x, Name=m, n=[1, s, null]}")");
}

TEST_CASE("States.Format: escaped braces are text, not placeholders", "[data][intrinsics]") {
  CHECK(run(R"(States.Format('\{\} {} \'q\' \\', 'x'))").output == R"("{} x 'q' \\")");
  CHECK(run("States.Format('no placeholders')").output == R"("no placeholders")");
  CHECK(run("States.Format('{}{}', 1, 2)").output == R"("12")");
}

TEST_CASE("States.Format: a template read from a path has plain {} placeholders",
          "[data][intrinsics]") {
  CHECK(run("States.Format($.template, $.name)",
            R"({"name": "Arnav", "template": "Hello, my name is {}."})")
            .output == R"("Hello, my name is Arnav.")");
}

TEST_CASE("States.Format: a wrong number of values fails", "[data][intrinsics]") {
  auto literal = run("States.Format('{} and {}', 1)");
  CHECK(literal.error == "load");
  CHECK(literal.cause == "States.Format has 2 '{}' placeholders but 1 value to insert");
  auto from_path = run("States.Format($.t, 1, 2)", R"({"t": "{}"})");
  CHECK(from_path.error == "States.Runtime");
  CHECK(from_path.cause ==
        "Invalid arguments in States.Format: the template has 1 '{}' placeholder but 2 values "
        "to insert");
  auto not_string = run("States.Format($.t)", R"({"t": 5})");
  CHECK(not_string.error == "States.Runtime");
  CHECK(not_string.cause ==
        "Invalid arguments in States.Format: the template (first argument) must be a string, "
        "but was 5");
  CHECK(run("States.Format(5)").cause == "the first argument of States.Format must be a string");
  CHECK(run("States.Format()").cause ==
        "States.Format takes at least 1 argument, but 0 were given");
}

TEST_CASE("States.StringSplit: every delimiter character splits, empty parts are dropped",
          "[data][intrinsics]") {
  auto [text, delimiters, expected] = GENERATE(table<std::string, std::string, std::string>({
      {" ", ",", R"([" "])"},
      {" , ", ",", R"([" "," "])"},
      {", , ,", ",", R"([" "," "])"},
      {",,,,", ",", "[]"},
      {"1,2,3,4,5", ",", R"(["1","2","3","4","5"])"},
      {"This.is+a,test=string", ".+,=", R"(["This","is","a","test","string"])"},
      {"split on T and \nnew line", "T\n", R"(["split on "," and ","new line"])"},
      {"Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n",
       ",",
       R"(["Value1","Value2","Value3\nValue4","Value5","Value6\n","\ntrue","1","'HelloWorld'\nNull","None","\n   \n"])"},
      {"", ",", "[]"},
      {"abc", "", R"(["abc"])"},
      {"a\u00e9b\u00e9c", "\u00e9", R"(["a","b","c"])"},
  }));
  CAPTURE(text, delimiters);
  json::object input;
  input["s"] = text;
  input["d"] = delimiters;
  CHECK(run("States.StringSplit($.s, $.d)", flowstate::data::serialize_json(input)).output ==
        expected);
}

TEST_CASE("States.StringSplit: literal arguments may hold any character", "[data][intrinsics]") {
  CHECK(run("States.StringSplit('Hello\nWorld', '\n')").output == R"(["Hello","World"])");
  CHECK(run("States.StringSplit('a-b-c', '-')").output == R"(["a","b","c"])");
}

TEST_CASE("String intrinsics: bad arguments fail with States.Runtime and say why",
          "[data][intrinsics]") {
  auto [call, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"States.StringSplit($.s, ',')", R"({"s": 1})",
       "Invalid arguments in States.StringSplit: the string to split (first argument) must be a "
       "string, but was 1"},
      {"States.StringSplit('a', $.d)", R"({"d": [","]})",
       R"(Invalid arguments in States.StringSplit: the delimiters (second argument) must be a string, but was [","])"},
  }));
  CAPTURE(call, input);
  auto outcome = run(call, input);
  CHECK(outcome.error == "States.Runtime");
  CHECK(outcome.cause == cause);
  CHECK(run("States.StringSplit('a')").cause ==
        "States.StringSplit takes 2 arguments, but 1 was given");
}
