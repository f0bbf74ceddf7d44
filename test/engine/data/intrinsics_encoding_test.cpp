// Tests of the encoding intrinsics (Base64Encode, Base64Decode); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/encode_decode.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

namespace json = boost::json;
using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.Base64Encode: encodes the UTF-8 bytes of a string", "[data][intrinsics]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"Data to encode", "RGF0YSB0byBlbmNvZGU="},
      {"Hello World", "SGVsbG8gV29ybGQ="},
      {"a", "YQ=="},
      {"ab", "YWI="},
      {"abc", "YWJj"},
      {"\u00e9", "w6k="},
  }));
  CAPTURE(text);
  json::object input;
  input["s"] = text;
  CHECK(run("States.Base64Encode($.s)", flowstate::data::serialize_json(input)).output ==
        "\"" + expected + "\"");
}

TEST_CASE("States.Base64Decode: decodes base64 into text", "[data][intrinsics]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"", R"("")"},
      {"RGF0YSB0byBlbmNvZGU=", R"("Data to encode")"},
      {"SGVsbG8gV29ybGQ=", R"("Hello World")"},
      {"YQ==", R"("a")"},
      {"YQ", R"("a")"},
      {"w6k=", "\"\u00e9\""},
  }));
  CAPTURE(text);
  CHECK(run("States.Base64Decode($.s)", R"({"s": ")" + text + R"("})").output == expected);
}

TEST_CASE("Encoding intrinsics: round-trip through each other", "[data][intrinsics]") {
  CHECK(run("States.Base64Decode(States.Base64Encode('x\\'y \\{\\}'))").output == R"("x'y {}")");
}

TEST_CASE("Encoding intrinsics: bad arguments fail with States.Runtime and say why",
          "[data][intrinsics]") {
  auto [call, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"States.Base64Encode($.s)", R"({"s": 1})",
       "Invalid arguments in States.Base64Encode: the argument must be a string, but was 1"},
      {"States.Base64Decode($.s)", R"({"s": "a$=="})",
       R"(Invalid arguments in States.Base64Decode: the argument is not valid base64: "a$==")"},
      {"States.Base64Decode($.s)", R"({"s": "Y"})",
       R"(Invalid arguments in States.Base64Decode: the argument is not valid base64: "Y")"},
      {"States.Base64Decode($.s)", R"({"s": "YQ==="})",
       R"(Invalid arguments in States.Base64Decode: the argument is not valid base64: "YQ===")"},
      {"States.Base64Decode($.s)", R"({"s": "/w=="})",
       "Invalid arguments in States.Base64Decode: the decoded bytes are not UTF-8 text"},
  }));
  CAPTURE(call, input);
  auto outcome = run(call, input);
  CHECK(outcome.error == "States.Runtime");
  CHECK(outcome.cause == cause);
}

TEST_CASE("Encoding intrinsics: inputs are limited to 10,000 characters", "[data][intrinsics]") {
  json::object input;
  input["s"] = std::string(10000, 'a');
  CHECK(run("States.Base64Encode($.s)", flowstate::data::serialize_json(input)).error.empty());
  input["s"] = std::string(10001, 'a');
  auto encode = run("States.Base64Encode($.s)", flowstate::data::serialize_json(input));
  CHECK(encode.cause ==
        "Invalid arguments in States.Base64Encode: the input has 10001 characters, more than "
        "the 10000 allowed");
  auto decode = run("States.Base64Decode($.s)", flowstate::data::serialize_json(input));
  CHECK(decode.cause ==
        "Invalid arguments in States.Base64Decode: the input has 10001 characters, more than "
        "the 10000 allowed");
}
