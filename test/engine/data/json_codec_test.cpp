// Tests of JSON text ⇄ value: AWS's number fidelity, nesting limits, escapes, error
// positions, and the payload size that the 256 KiB limit is measured in.
#include "engine/data/json_codec.hpp"

#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

namespace flowstate::data {
namespace {

namespace json = boost::json;

std::string round_trip(std::string_view text) {
  auto parsed = parse_json(text);
  REQUIRE(parsed.has_value());
  return serialize_json(*parsed);
}

std::string error_line(std::string_view text) {
  auto parsed = parse_json(text);
  REQUIRE_FALSE(parsed.has_value());
  const JsonSyntaxError& error = parsed.error();
  return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST_CASE("JsonCodec: numbers print exactly as AWS echoes them", "[data][json_codec]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"1.3333333333333333e+50", "1.3333333333333333e+50"},
      {"1.0", "1.0"},
      {"-1.0", "-1.0"},
      {"0.1", "0.1"},
      {"2.5e-7", "2.5e-07"},
      {"1e2", "100.0"},
      {"1E21", "1e+21"},
      {"-0.0", "-0.0"},
      {"0", "0"},
      {"-7", "-7"},
      {"9223372036854775807", "9223372036854775807"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"18446744073709551615", "18446744073709551615"},
      {"18446744073709551616", "18446744073709551616.0"},
      {"123456789.125", "123456789.125"},
      {"[1.5,2,3.0]", "[1.5,2,3.0]"},
  }));
  CAPTURE(text);
  CHECK(round_trip(text) == expected);
}

TEST_CASE("JsonCodec: a double survives parse, print, parse without drifting by an ulp",
          "[data][json_codec]") {
  std::string text = GENERATE(as<std::string>{}, "1.3333333333333333e+50", "0.30000000000000004",
                              "5e-324", "1.7976931348623157e+308", "4.35","2.2250738585072014e-308");
  auto first = parse_json(text);
  REQUIRE(first.has_value());
  auto second = parse_json(serialize_json(*first));
  REQUIRE(second.has_value());
  CHECK(second->as_double() == first->as_double());
  CHECK(serialize_json(*second) == serialize_json(*first));
}

TEST_CASE("JsonCodec: a literal that overflows a double is refused with a message",
          "[data][json_codec]") {
  CHECK(error_line("-285e411") == "1:9: number out of range for a double");
  CHECK(error_line("{\"a\": 1e400}") == "1:12: number out of range for a double");
}

TEST_CASE("JsonCodec: nesting up to 512 levels is accepted and 513 is refused",
          "[data][json_codec]") {
  auto ok = parse_json(nested_arrays(512));
  REQUIRE(ok.has_value());
  CHECK(serialize_json(*ok) == nested_arrays(512));
  auto refused = parse_json(nested_arrays(513));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "nesting deeper than 512 levels");
  CHECK(refused.error().line == 1);
  CHECK(refused.error().column == 513);
}

TEST_CASE("JsonCodec: a document nested a hundred thousand levels deep is refused, not crashed on",
          "[data][json_codec]") {
  auto refused = parse_json(nested_arrays(100000));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "nesting deeper than 512 levels");
}

TEST_CASE("JsonCodec: strings are unescaped on parse and escaped minimally on print",
          "[data][json_codec]") {
  auto parsed = parse_json(R"("q\" b\\ s\/ n\n r\r t\t b\b f\f u\u0001 e\u00e9 x\u2028")");
  REQUIRE(parsed.has_value());
  CHECK(parsed->as_string() == "q\" b\\ s/ n\n r\r t\t b\b f\f u\x01 e\xc3\xa9 x\xe2\x80\xa8");
  CHECK(serialize_json(*parsed) ==
        "\"q\\\" b\\\\ s/ n\\n r\\r t\\t b\\b f\\f u\\u0001 e\xc3\xa9 x\xe2\x80\xa8\"");
  CHECK(round_trip(R"({"k\"ey":"\u001f"})") == R"({"k\"ey":"\u001f"})");
}

TEST_CASE("JsonCodec: objects keep their insertion order and duplicate-free compact form",
          "[data][json_codec]") {
  CHECK(round_trip(R"( { "z" : 1 , "a" : [ true , false , null ] , "m" : { } } )") ==
        R"({"z":1,"a":[true,false,null],"m":{}})");
}

TEST_CASE("JsonCodec: text after the value is refused at its line and column",
          "[data][json_codec]") {
  CHECK(error_line("{\"a\": 1} x") == "1:10: unexpected text after the JSON value");
  CHECK(error_line("{\n  \"a\": 1\n}\n  ]") == "4:3: unexpected text after the JSON value");
  CHECK(error_line("1 2") == "1:3: unexpected text after the JSON value");
}

TEST_CASE("JsonCodec: surrounding whitespace is allowed", "[data][json_codec]") {
  CHECK(round_trip(" \n\t{\"a\":1}\r\n ") == R"({"a":1})");
}

TEST_CASE("JsonCodec: malformed and incomplete documents are refused with a position",
          "[data][json_codec]") {
  CHECK(error_line("{\"a\" 1}") == "1:6: syntax error");
  CHECK(error_line("[1,\n 2,") == "2:4: incomplete JSON");
  CHECK(error_line("") == "1:1: incomplete JSON");
  CHECK(error_line("{'a': 1}") == "1:2: syntax error");
}

TEST_CASE("JsonCodec: serialized_size is the length of the compact text", "[data][json_codec]") {
  std::string text = GENERATE(as<std::string>{}, "null", "true", "false", "0", "-12", "1.0",
                              "1.3333333333333333e+50", R"("")", R"("a\"b\\c\n\u0001\u00e9")",
                              R"([])", R"([1,[2,[3]],{}])", R"({"a\n":{"b":[null,"x"]},"c":""})");
  auto parsed = parse_json(text);
  REQUIRE(parsed.has_value());
  CAPTURE(text);
  CHECK(serialized_size(*parsed) == serialize_json(*parsed).size());
}

TEST_CASE("JsonCodec: serialized_size_exceeds compares with the limit exactly",
          "[data][json_codec]") {
  json::value value = json::string(std::string(10, 'x'));  // 12 bytes with the quotes
  CHECK_FALSE(serialized_size_exceeds(value, 12));
  CHECK(serialized_size_exceeds(value, 11));
  json::value big = json::array{json::string(std::string(300000, 'y')), 1};
  CHECK(serialized_size_exceeds(big, 262144));
}

TEST_CASE("JsonCodec: pretty printing indents by two spaces and keeps empty containers inline",
          "[data][json_codec]") {
  auto parsed = parse_json(R"({"a":[1,{}],"b":{},"c":{"d":2.0}})");
  REQUIRE(parsed.has_value());
  CHECK(serialize_json_pretty(*parsed) ==
        "{\n"
        "  \"a\": [\n"
        "    1,\n"
        "    {}\n"
        "  ],\n"
        "  \"b\": {},\n"
        "  \"c\": {\n"
        "    \"d\": 2.0\n"
        "  }\n"
        "}");
}

}  // namespace
}  // namespace flowstate::data
