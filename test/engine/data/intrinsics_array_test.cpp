// Tests of the array intrinsics; expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/array.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.Array: returns its arguments in order, any JSON value included",
          "[data][intrinsics]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {R"({"fst": "", "snd": ""})", R"(["",""])"},
      {R"({"fst": " ", "snd": " "})", R"([" "," "])"},
      {R"({"fst": null, "snd": null})", "[null,null]"},
      {R"({"fst": 1, "snd": 1})", "[1,1]"},
      {R"({"fst": 1.1, "snd": 1.1})", "[1.1,1.1]"},
      {R"({"fst": {"Arg1": 1, "Arg2": []}, "snd": "x"})", R"([{"Arg1":1,"Arg2":[]},"x"])"},
  }));
  CAPTURE(input);
  CHECK(run("States.Array($.fst, $.snd)", input).output == expected);
}

TEST_CASE("States.Array: takes zero arguments and literals of every kind", "[data][intrinsics]") {
  CHECK(run("States.Array()").output == "[]");
  CHECK(run("States.Array('a', 1, -2.5, null, true, false)").output ==
        R"(["a",1,-2.5,null,true,false])");
}

TEST_CASE("States.ArrayPartition: splits into chunks, the last one shorter",
          "[data][intrinsics]") {
  auto [array, size, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"[]", "1", "[]"},
      {"[]", "5", "[]"},
      {"[0]", "1", "[[0]]"},
      {"[0]", "5", "[[0]]"},
      {"[0,1]", "1", "[[0],[1]]"},
      {"[0,1]", "2", "[[0,1]]"},
      {"[0,1,2]", "2", "[[0,1],[2]]"},
      {"[0,1,2,3]", "3", "[[0,1,2],[3]]"},
      {"[0,1,2,3]", "4", "[[0,1,2,3]]"},
      {"[1,2,3,4,5,6,7,8,9]", "4", "[[1,2,3,4],[5,6,7,8],[9]]"},
      // A non-integer chunk size is rounded (intrinsic-functions.html).
      {"[0,1,2,3]", "1.5", "[[0,1],[2,3]]"},
      {"[0,1,2,3]", "2.4", "[[0,1],[2,3]]"},
  }));
  CAPTURE(array, size);
  CHECK(run("States.ArrayPartition($.a, $.n)", R"({"a": )" + array + R"(, "n": )" + size + "}")
            .output == expected);
}

TEST_CASE("States.ArrayContains: compares JSON values deeply, numbers by value",
          "[data][intrinsics]") {
  auto [array, value, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"[]", "null", "false"},
      {"[]", "[]", "false"},
      {"[]", "1", "false"},
      {"[[1,2,3],2]", "null", "false"},
      {"[[1,2,3],2]", "[1,2,3]", "true"},
      {R"([{"1":2,"2":[]}])", "[]", "false"},
      {R"([{"1":2,"2":[]}])", R"({"1":2,"2":[]})", "true"},
      {"[true,false]", "true", "true"},
      {"[true,false]", "false", "true"},
      {"[1,2]", "1.0", "true"},
      {"[1.0]", "1", "true"},
      {R"([{"a":1,"b":2}])", R"({"b":2.0,"a":1})", "true"},
      {R"(["1"])", "1", "false"},
  }));
  CAPTURE(array, value);
  CHECK(run("States.ArrayContains($.a, $.v)", R"({"a": )" + array + R"(, "v": )" + value + "}")
            .output == expected);
}

TEST_CASE("States.ArrayRange: includes the end when a step lands on it", "[data][intrinsics]") {
  auto [call, expected] = GENERATE(table<std::string, std::string>({
      {"States.ArrayRange(0, 9, 3)", "[0,3,6,9]"},
      {"States.ArrayRange(0, 10, 3)", "[0,3,6,9]"},
      {"States.ArrayRange(1, 9, 9)", "[1]"},
      {"States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]"},
      {"States.ArrayRange(0, 3, 1)", "[0,1,2,3]"},
      {"States.ArrayRange(3, 0, -1)", "[3,2,1,0]"},
      {"States.ArrayRange(5, 1, 1)", "[]"},
      {"States.ArrayRange(0.5, 2.4, 1)", "[1,2]"},
  }));
  CAPTURE(call);
  CHECK(run(call).output == expected);
}

TEST_CASE("States.ArrayRange: allows exactly 1000 items", "[data][intrinsics]") {
  CHECK(run("States.ArrayLength(States.ArrayRange(1, 1000, 1))").output == "1000");
  CHECK(run("States.ArrayGetItem(States.ArrayRange(1, 1000, 1), 999)").output == "1000");
}

TEST_CASE("States.ArrayGetItem: returns the element at an index", "[data][intrinsics]") {
  CHECK(run("States.ArrayGetItem($.a, $.i)", R"({"a": [1,2,3,4,5,6,7,8,9], "i": 5})").output ==
        "6");
  CHECK(run("States.ArrayGetItem($.a, 0)", R"({"a": [{"x":[1]}]})").output == R"({"x":[1]})");
  CHECK(run("States.ArrayGetItem($.a, 1.0)", R"({"a": ["p","q"]})").output == R"("q")");
}

TEST_CASE("States.ArrayLength: counts the elements", "[data][intrinsics]") {
  CHECK(run("States.ArrayLength($)", "[1,2,3,4,5,6,7,8,9]").output == "9");
  CHECK(run("States.ArrayLength($.a)", R"({"a": []})").output == "0");
  CHECK(run("States.ArrayLength($)",
            R"([null,null,true,true,false,false,1,1,1.1,0,0,"HelloWorld","HelloWorld",[],[],[null],[null],{"a":1,"b":2},{"a":1,"b":2},{"a":1,"b":1}])")
            .output == "20");
}

TEST_CASE("States.ArrayUnique: keeps the first of each value, in order", "[data][intrinsics]") {
  CHECK(run("States.ArrayUnique($)", "[1,2,2,3,3,4]").output == "[1,2,3,4]");
  CHECK(run("States.ArrayUnique($)",
            R"([null,null,true,true,false,false,1,1,1.1,0,0,"HelloWorld","HelloWorld",[],[],[null],[null],{"a":1,"b":2},{"a":1,"b":2},{"a":1,"b":1}])")
            .output ==
        R"([null,true,false,1,1.1,0,"HelloWorld",[],[null],{"a":1,"b":2},{"a":1,"b":1}])");
  CHECK(run("States.ArrayUnique($)", R"([1, 1.0, {"a":1,"b":2}, {"b":2,"a":1}])").output ==
        R"([1,{"a":1,"b":2}])");
}

TEST_CASE("Array intrinsics: bad arguments fail with States.Runtime and say why",
          "[data][intrinsics]") {
  auto [call, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"States.ArrayPartition($.a, 2)", R"({"a": "x"})",
       R"(Invalid arguments in States.ArrayPartition: the first argument must be an array, but was "x")"},
      {"States.ArrayPartition($.a, 0)", R"({"a": [1]})",
       "Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer, "
       "but was 0"},
      {"States.ArrayPartition($.a, -1)", R"({"a": [1]})",
       "Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer, "
       "but was -1"},
      {"States.ArrayPartition($.a, 'x')", R"({"a": [1]})",
       R"(Invalid arguments in States.ArrayPartition: the chunk size must be a number, but was "x")"},
      {"States.ArrayContains($.a, 1)", R"({"a": {}})",
       "Invalid arguments in States.ArrayContains: the first argument must be an array, but was "
       "{}"},
      {"States.ArrayRange(0, 10, 0)", "{}",
       "Invalid arguments in States.ArrayRange: the step must not be 0"},
      {"States.ArrayRange(0, 1000, 1)", "{}",
       "Invalid arguments in States.ArrayRange: the range has 1001 items, more than the 1000 "
       "allowed"},
      {"States.ArrayRange($.a, 10, 1)", R"({"a": null})",
       "Invalid arguments in States.ArrayRange: the start (first argument) must be a number, but "
       "was null"},
      {"States.ArrayGetItem($.a, 3)", R"({"a": [1,2,3]})",
       "Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array of 3 "
       "items"},
      {"States.ArrayGetItem($.a, -1)", R"({"a": [1]})",
       "Invalid arguments in States.ArrayGetItem: the index -1 is out of bounds for an array of 1 "
       "item"},
      {"States.ArrayGetItem($.a, 0.5)", R"({"a": [1]})",
       "Invalid arguments in States.ArrayGetItem: the index must be an integer, but was 0.5"},
      {"States.ArrayGetItem($.a, '0')", R"({"a": [1]})",
       R"(Invalid arguments in States.ArrayGetItem: the index must be a number, but was "0")"},
      {"States.ArrayLength($.a)", R"({"a": "abc"})",
       R"(Invalid arguments in States.ArrayLength: the argument must be an array, but was "abc")"},
      {"States.ArrayUnique($.a)", R"({"a": 7})",
       "Invalid arguments in States.ArrayUnique: the argument must be an array, but was 7"},
  }));
  CAPTURE(call, input);
  auto outcome = run(call, input);
  CHECK(outcome.error == "States.Runtime");
  CHECK(outcome.cause == cause);
}

TEST_CASE("Array intrinsics: argument counts are checked at load", "[data][intrinsics]") {
  auto [call, message] = GENERATE(table<std::string, std::string>({
      {"States.ArrayPartition($.a)",
       "States.ArrayPartition takes 2 arguments, but 1 was given"},
      {"States.ArrayContains($.a, 1, 2)",
       "States.ArrayContains takes 2 arguments, but 3 were given"},
      {"States.ArrayRange(1, 2)", "States.ArrayRange takes 3 arguments, but 2 were given"},
      {"States.ArrayGetItem($.a)", "States.ArrayGetItem takes 2 arguments, but 1 was given"},
      {"States.ArrayLength()", "States.ArrayLength takes 1 argument, but 0 were given"},
      {"States.ArrayUnique($.a, $.b)", "States.ArrayUnique takes 1 argument, but 2 were given"},
  }));
  CAPTURE(call);
  auto outcome = run(call);
  CHECK(outcome.error == "load");
  CHECK(outcome.cause == message);
}
