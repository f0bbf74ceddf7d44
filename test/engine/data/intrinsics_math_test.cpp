// Tests of the math intrinsics (States.MathAdd, States.MathRandom); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/math_operations.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.MathAdd: rounds halves toward positive infinity, then adds",
          "[data][intrinsics]") {
  auto [a, b, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"-9", "3", "-6"},
      {"1.49", "1.5", "3"},
      {"1.5", "1.51", "4"},
      {"-1.49", "-1.5", "-2"},
      {"-1.5", "-1.51", "-3"},
      {"1.49", "0", "1"},
      {"1.49", "-1.49", "0"},
      {"1.5", "0", "2"},
      {"1.51", "0", "2"},
      {"-1.49", "0", "-1"},
      {"-1.5", "0", "-1"},
      {"-1.51", "0", "-2"},
      {"0.5", "0", "1"},
      {"2.5", "0", "3"},
      {"3.5", "0", "4"},
      {"-0.5", "0.5", "1"},
      {"-0.5", "0", "0"},
      {"-2.5", "0", "-2"},
      {"-3.5", "0", "-3"},
      {"2147483647", "2147483647", "4294967294"},
  }));
  CAPTURE(a, b);
  CHECK(run("States.MathAdd($.a, $.b)", R"({"a": )" + a + R"(, "b": )" + b + "}").output ==
        expected);
}

TEST_CASE("States.MathAdd: takes literals, negative ones included", "[data][intrinsics]") {
  CHECK(run("States.MathAdd($.n, -1)", R"({"n": 1})").output == "0");
  CHECK(run("States.MathAdd(-1.5, 2)").output == "1");
}

TEST_CASE("States.MathRandom: stays from start up to but excluding end, and repeats for a seed",
          "[data][intrinsics]") {
  for (int i = 0; i < 200; ++i) {
    auto outcome = run("States.MathRandom(1, 4)");
    REQUIRE(outcome.error.empty());
    CHECK((outcome.output == "1" || outcome.output == "2" || outcome.output == "3"));
  }
  auto seed = GENERATE(0, 7, -3, 123456789);
  CAPTURE(seed);
  std::string input = R"({"seed": )" + std::to_string(seed) + "}";
  auto first = run("States.MathRandom(1, 1000000, $.seed)", input);
  REQUIRE(first.error.empty());
  CHECK(run("States.MathRandom(1, 1000000, $.seed)", input).output == first.output);
  CHECK(run("States.MathRandom(0.6, 1.6, $.seed)", input).output == "1");  // [1, 2)
}

TEST_CASE("Math intrinsics: bad arguments fail with States.Runtime and say why",
          "[data][intrinsics]") {
  auto [call, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"States.MathAdd($.a, 1)", R"({"a": "1"})",
       R"(Invalid arguments in States.MathAdd: the first argument must be a number, but was "1")"},
      {"States.MathAdd(1, $.b)", R"({"b": null})",
       "Invalid arguments in States.MathAdd: the second argument must be a number, but was null"},
      {"States.MathAdd(2147483648, 1)", "{}",
       "Invalid arguments in States.MathAdd: the first argument must be between -2147483648 and "
       "2147483647, but was 2147483648"},
      {"States.MathAdd(1, -2147483649)", "{}",
       "Invalid arguments in States.MathAdd: the second argument must be between -2147483648 "
       "and 2147483647, but was -2147483649"},
      {"States.MathRandom(5, 5)", "{}",
       "Invalid arguments in States.MathRandom: the end (5) must be greater than the start (5)"},
      {"States.MathRandom($.s, 5)", R"({"s": "fst"})",
       R"(Invalid arguments in States.MathRandom: the start (first argument) must be a number, but was "fst")"},
      {"States.MathRandom(1, 5, 'x')", "{}",
       R"(Invalid arguments in States.MathRandom: the seed (third argument) must be a number, but was "x")"},
  }));
  CAPTURE(call, input);
  auto outcome = run(call, input);
  CHECK(outcome.error == "States.Runtime");
  CHECK(outcome.cause == cause);
}

TEST_CASE("Math intrinsics: argument counts are checked at load", "[data][intrinsics]") {
  CHECK(run("States.MathAdd(1)").cause == "States.MathAdd takes 2 arguments, but 1 was given");
  CHECK(run("States.MathRandom(1)").cause ==
        "States.MathRandom takes 2 or 3 arguments, but 1 was given");
  CHECK(run("States.MathRandom(1, 2, 3, 4)").cause ==
        "States.MathRandom takes 2 or 3 arguments, but 4 were given");
}
