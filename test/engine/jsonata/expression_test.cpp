// Tests of the JSONata library's public interface: compile once and evaluate many times,
// undefined results, errors with codes and positions, bindings, host functions, limits.
#include "engine/jsonata/expression.hpp"

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::jsonata {
namespace {

namespace json = boost::json;

Expression compile(std::string_view text) {
  auto compiled = Expression::compile(text);
  INFO(text);
  REQUIRE(compiled.has_value());
  return std::move(*compiled);
}

// The result as compact JSON text, "undefined", or "error CODE".
std::string run(std::string_view text, std::string_view input = "null", const Bindings& bindings = {},
                const EvaluationLimits& limits = {}) {
  json::value data = test::parse_json_text(input);
  auto result = compile(text).evaluate(&data, bindings, limits);
  if (!result) return "error " + result.error().code;
  if (!*result) return "undefined";
  return data::serialize_json(**result);
}

TEST_CASE("Expression: a syntax error is an Error with its code and position", "[jsonata]") {
  auto compiled = Expression::compile("a.b +");
  REQUIRE_FALSE(compiled.has_value());
  CHECK(compiled.error().code == "S0207");
  CHECK(compiled.error().message == "Unexpected end of expression");
  CHECK(compiled.error().position == 5);

  auto unterminated = Expression::compile("\"abc");
  REQUIRE_FALSE(unterminated.has_value());
  CHECK(unterminated.error().code == "S0101");

  auto bad_bind = Expression::compile("a := 1");
  REQUIRE_FALSE(bad_bind.has_value());
  CHECK(bad_bind.error().code == "S0212");
}

TEST_CASE("Expression: ?? and ?: can be refused, as JSONata 2.0 (Step Functions) refuses them", "[jsonata]") {
  Expression::Options v2_0;
  v2_0.jsonata_2_1_operators = false;
  for (const char* text : {"a ?? 1", "a ?: 1"}) {
    INFO(text);
    CHECK(Expression::compile(text).has_value());
    auto refused = Expression::compile(text, v2_0);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code.rfind("S02", 0) == 0);
  }
  CHECK(Expression::compile("a ? 1 : 2", v2_0).has_value());
}

TEST_CASE("Expression: paths map over arrays and flatten, singletons collapse", "[jsonata]") {
  std::string orders = R"({"orders": [{"id": 1, "items": [{"n": "a"}, {"n": "b"}]}, {"id": 2, "items": [{"n": "c"}]}]})";
  CHECK(run("orders.id", orders) == "[1,2]");
  CHECK(run("orders.items.n", orders) == R"(["a","b","c"])");
  CHECK(run("orders[1].items.n", orders) == R"("c")");
  CHECK(run("orders[1].items[].n", orders) == R"(["c"])");
  CHECK(run("orders[id = 2].id", orders) == "2");
  CHECK(run("$count(orders.items)", orders) == "3");
  CHECK(run("orders.missing", orders) == "undefined");
}

TEST_CASE("Expression: numbers are doubles, printed as integers when integral", "[jsonata]") {
  CHECK(run("1 + 2") == "3");
  CHECK(run("7 / 2") == "3.5");
  CHECK(run("$string(0.1 + 0.2)") == R"("0.3")");
  CHECK(run("1e300 * 1e300") == "error D1001");
  CHECK(run("\"a\" + 1") == "error T2001");
}

TEST_CASE("Expression: an undefined input is nullptr and yields undefined results", "[jsonata]") {
  auto e = compile("a");
  auto result = e.evaluate(nullptr);
  REQUIRE(result.has_value());
  CHECK_FALSE(result->has_value());
  CHECK(compile("$exists(a)").evaluate(nullptr)->value() == json::value(false));
}

TEST_CASE("Expression: bindings give variables, by copy or by reference", "[jsonata]") {
  Bindings bindings;
  json::value states = test::parse_json_text(R"({"input": {"items": [{"id": "x"}, {"id": "y"}]}})");
  bindings.set_reference("states", states);
  bindings.set("limit", 1);
  CHECK(run("$states.input.items[0].id", "null", bindings) == R"("x")");
  CHECK(run("$states.input.items[$limit].id", "null", bindings) == R"("y")");
}

TEST_CASE("Expression: a host function is registered with a signature and checked against it", "[jsonata]") {
  Bindings bindings;
  auto registered = bindings.set_function(
      "twice", "<n:n>", [](std::span<const std::optional<json::value>> args)
                            -> boost::system::result<std::optional<json::value>, Error> {
        if (!args[0]) return std::optional<json::value>();
        return std::optional<json::value>(json::value(args[0]->to_number<double>() * 2));
      });
  REQUIRE(registered.has_value());
  CHECK(run("$twice(21)", "null", bindings) == "42");
  CHECK(run("[1, 2] ~> $map($twice)", "null", bindings) == "[2,4]");
  CHECK(run("$twice(\"x\")", "null", bindings) == "error T0410");

  auto failing = bindings.set_function(
      "fail", "<s:x>", [](std::span<const std::optional<json::value>>)
                           -> boost::system::result<std::optional<json::value>, Error> {
        return Error{"X0001", "failed on purpose", 0};
      });
  REQUIRE(failing.has_value());
  CHECK(run("$fail(\"a\")", "null", bindings) == "error X0001");
  CHECK_FALSE(bindings.set_function("bad", "<q>", {}).has_value());
}

TEST_CASE("Expression: a built-in can be hidden, and a host function overrides a built-in", "[jsonata]") {
  Bindings bindings;
  bindings.hide_builtin("eval");
  CHECK(run("$eval(\"1\")", "null", bindings) == "error T1006");
  auto seeded = bindings.set_function("random", "<n?:n>", [](std::span<const std::optional<json::value>>)
                                                              -> boost::system::result<std::optional<json::value>, Error> {
    return std::optional<json::value>(json::value(0.25));
  });
  REQUIRE(seeded.has_value());
  CHECK(run("$random(7)", "null", bindings) == "0.25");
}

TEST_CASE("Expression: reports where it reads the input document at its top level", "[jsonata]") {
  auto reference = [](std::string_view text) -> std::string {
    auto found = compile(text).top_level_input_reference();
    return found ? found->name + "@" + std::to_string(found->position) : "none";
  };
  CHECK(reference("phone") == "phone@5");
  CHECK(reference("$states.input.phone") == "none");
  CHECK(reference("$") == "$@1");
  CHECK(reference("$$.x") == "$$@2");
  CHECK(reference("1 + a.b") == "a@5");
  CHECK(reference("{\"k\": name}") == "name@10");
  CHECK(reference("$states.input.items[price > 1].name") == "none");
  CHECK(reference("$map($states.input.items, function($v){ $v.x + y })") == "none");
  CHECK(reference("$states.input ~> | a | {\"b\": c} |") == "none");
}

TEST_CASE("Expression: runaway recursion fails with U1001, tail calls run in constant depth", "[jsonata]") {
  CHECK(run("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))") == "error U1001");
  CHECK(run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(100000, 0))") == "100000");
  EvaluationLimits limits;
  limits.time_limit = std::chrono::milliseconds(50);
  CHECK(run("($f := function(){ $f() }; $f())", "null", {}, limits) == "error U1001");
}

TEST_CASE("Expression: values nested deeper than any input fail with U1002, never crash", "[jsonata]") {
  // 100,000 nested objects: releasing them is a loop; walking them is refused.
  CHECK(run("($x := $reduce([1..100000], function($a, $b){ {\"a\": $a} }, {}); 1)") == "1");
  CHECK(run("$reduce([1..100000], function($a, $b){ {\"a\": $a} }, {})") == "error U1002");
  CHECK(run("$string($reduce([1..100000], function($a, $b){ [[$a]] }, []))") == "error U1002");
  CHECK(run("$count($reduce([1..100], function($a, $b){ {\"a\": $a} }, {}).**)") == "101");
}

TEST_CASE("Expression: one compiled expression evaluates concurrently without interference", "[jsonata]") {
  auto e = compile("$sum(items.($ * 2)) & \"-\" & $uppercase(name)");
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      json::value data = {{"items", {1, 2, t}}, {"name", "n" + std::to_string(t)}};
      for (int i = 0; i < 200; ++i) {
        auto r = e.evaluate(&data);
        results[static_cast<std::size_t>(t)] = std::string((*r)->as_string());
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(results[0] == "6-N0");
  CHECK(results[3] == "12-N3");
}

}  // namespace
}  // namespace flowstate::jsonata
