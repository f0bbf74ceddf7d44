// Tests of the built-in functions by family: strings (counted in characters, as the JSONata
// suite expects), numbers and their pictures, arrays and higher-order functions, objects,
// dates, and the errors each raises.
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "test/engine/jsonata/jsonata_run.hpp"

namespace flowstate::jsonata {
namespace {

using test::run_code;
using test::run_jsonata;

void check_table(const std::vector<std::pair<const char*, const char*>>& table) {
  for (const auto& [expression, expected] : table) {
    INFO(expression);
    CHECK(run_code(expression) == expected);
  }
}

TEST_CASE("Function library: strings", "[jsonata][functions]") {
  check_table({
      {"$string([1, {\"a\": 0.1 + 0.2}])", R"("[1,{\"a\":0.3}]")"},
      {"$string(1/0)", "error D3001"},
      {"$length(\"\xF0\x9F\x98\x80x\")", "2"},
      {"$substring(\"\xF0\x9F\x98\x80" "abc\", 1, 2)", R"("ab")"},
      {"$substring(\"hello\", -3)", R"("llo")"},
      {"$pad(\"a\", -3, \"#\")", R"("##a")"},
      {"$trim(\"  a \n b  \")", R"("a b")"},
      {"$split(\"a,b,c\", \",\", 2)", R"(["a","b"])"},
      {"$split(\"a1b2c\", /[0-9]/)", R"(["a","b","c"])"},
      {"$join([\"a\", \"b\"], \"-\")", R"("a-b")"},
      {"$match(\"a1b22\", /[0-9]+/)", R"([{"match":"1","index":1,"groups":[]},{"match":"22","index":3,"groups":[]}])"},
      {"$replace(\"hello\", /l(l)/, \"[$1]\")", R"("he[l]o")"},
      {"$replace(\"abc\", \"\", \"x\")", "error D3010"},
      {"$contains(\"abc\", /B/i)", "true"},
      {"$replace(\"aaa\", /a*?/, \"x\")", "error D1004"},
      {"$base64encode(\"hello\")", R"("aGVsbG8=")"},
      {"$encodeUrlComponent(\"a b&c\")", R"("a%20b%26c")"},
      {"$decodeUrl(\"%E2%82%AC\")", "\"\xE2\x82\xAC\""},
      {"$uppercase(\"abc\") & $lowercase(\"DEF\")", R"("ABCdef")"},
  });
}

TEST_CASE("Function library: regexes follow JavaScript and never exhaust the stack", "[jsonata][functions]") {
  check_table({
      {"$match(\"a\\nb\", /^b/)", "undefined"},                        // ^ is the start of the subject
      {"$match(\"a\\nb\", /^b/m).index", "2"},                          // unless m is given
      {"$contains(\"a\\nb\", /a.b/)", "false"},                          // . is not a line break
      {"$length($replace($pad(\"\", 200000, \"ab\"), /a.*b/, \"x\"))", "1"},  // long subjects
      {"$contains($pad(\"\", 40, \"a\") & \"!\", /^(a+)+$/)", "error D1005"},  // runaway backtracking
      {"/(/", "error S0303"},
  });
}

TEST_CASE("Function library: numbers and number pictures", "[jsonata][functions]") {
  check_table({
      {"$number(\"0x1F\")", "31"},
      {"$number(\"1e3\")", "1000"},
      {"$number(\"abc\")", "error D3030"},
      {"$round(2.5)", "2"},
      {"$round(3.5)", "4"},
      {"$round(1.255, 2)", "1.26"},
      {"$round(1250, -2)", "1200"},
      {"$sqrt(-1)", "error D3060"},
      {"$power(10, 400)", "error D3061"},
      {"$formatBase(255, 16)", R"("ff")"},
      {"$formatBase(1, 40)", "error D3100"},
      {"$formatNumber(1234.5, \"#,##0.00\")", R"("1,234.50")"},
      {"$formatNumber(0.25, \"0%\")", R"("25%")"},
      {"$formatNumber(1234.5678, \"00.000e0\")", R"("12.346e2")"},
      {"$formatNumber(1, \"#.0.0\")", "error D3081"},
      {"$formatInteger(42, \"w\")", R"("forty-two")"},
      {"$formatInteger(2024, \"I\")", R"("MMXXIV")"},
      {"$formatInteger(3, \"01;o\")", R"("03rd")"},
      {"$parseInteger(\"twelve thousand\", \"w\")", "12000"},
      {"$parseInteger(\"1,234\", \"#,##0\")", "1234"},
  });
}

TEST_CASE("Function library: arrays and higher-order functions", "[jsonata][functions]") {
  check_table({
      {"$count([1, 2, 3])", "3"},
      {"$sum([1, 2, 3]) & \"/\" & $max([1, 5]) & \"/\" & $min([4, 2]) & \"/\" & $average([1, 2])", R"("6/5/2/1.5")"},
      {"$reverse([1, 2, 3])", "[3,2,1]"},
      {"$distinct([1, 1, \"a\", \"a\", {\"x\": 1}, {\"x\": 1}])", R"([1,"a",{"x":1}])"},
      {"$sort([3, 1, 2])", "[1,2,3]"},
      {"$sort([\"b\", \"a\", \"c\"], function($x, $y){ $x < $y })", R"(["c","b","a"])"},
      {"$sort([1, \"a\"])", "error D3070"},
      {"$zip([1, 2], [3, 4], [5])", "[[1,3,5]]"},
      {"$map([1, 2, 3], function($v, $i, $a){ $v * $i + $count($a) })", "[3,5,9]"},
      {"$filter([1, 2, 3, 4], function($v){ $v % 2 = 0 })", "[2,4]"},
      {"$reduce([1, 2, 3, 4], function($acc, $v){ $acc + $v }, 10)", "20"},
      {"$reduce([1], function($acc){ $acc })", "error D3050"},
      {"$single([1, 2], function($v){ $v > 1 })", "2"},
      {"$single([1, 2])", "error D3138"},
      {"$single([], function($v){ true })", "error D3139"},
      {"$map([1, 2], $string)", R"(["1","2"])"},
      {"$count($shuffle([1, 2, 3]))", "3"},
  });
}

TEST_CASE("Function library: objects and values", "[jsonata][functions]") {
  check_table({
      {"$keys({\"b\": 1, \"a\": 2})", R"(["b","a"])"},
      {"$lookup([{\"a\": 1}, {\"a\": 2}], \"a\")", "[1,2]"},
      {"$spread({\"a\": 1, \"b\": 2})", R"([{"a":1},{"b":2}])"},
      {"$merge([{\"a\": 1}, {\"a\": 2, \"b\": 3}])", R"({"a":2,"b":3})"},
      {"$each({\"a\": 1}, function($v, $k){ $k & $v })", R"("a1")"},
      {"$sift({\"a\": 1, \"b\": 2}, function($v){ $v > 1 })", R"({"b":2})"},
      {"$type(null) & $type(1) & $type(\"s\") & $type([]) & $type({}) & $type(true) & $type($type)",
       R"("nullnumberstringarrayobjectbooleanfunction")"},
      {"$boolean([0, \"\"]) or $boolean({})", "false"},
      {"$not(\"a\")", "false"},
      {"$error(\"boom\")", "error D3137"},
      {"$assert(1 = 2, \"nope\")", "error D3141"},
      {"$eval(\"$ + 1\", 2)", "3"},
      {"$eval(\"1 +\")", "error D3120"},
      {"$clone({\"a\": [1]})", R"({"a":[1]})"},
  });
}

TEST_CASE("Function library: dates with and without pictures", "[jsonata][functions]") {
  check_table({
      {"$fromMillis(1521801216617)", R"("2018-03-23T10:33:36.617Z")"},
      {"$fromMillis(1521801216617, \"[FNn], [D1o] [MNn] [Y]\")", R"("Friday, 23rd March 2018")"},
      {"$fromMillis(1531310400000, \"[H01]:[m01][Z]\", \"-0500\")", R"("07:00-05:00")"},
      {"$toMillis(\"2018-03-23T10:33:36.617Z\")", "1521801216617"},
      {"$toMillis(\"23 March 2018\", \"[D1] [MNn] [Y0001]\")", "1521763200000"},
      {"$toMillis(\"2018-02-03 11:15:33\")", "error D3110"},
      {"$toMillis(\"2018-22\", \"[Y]-[D]\")", "error D3136"},
      {"$fromMillis(0, \"[Q]\")", "error D3132"},
      {"$now() = $now() and $millis() = $millis()", "true"},
  });
}

}  // namespace
}  // namespace flowstate::jsonata
