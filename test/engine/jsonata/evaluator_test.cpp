// Tests of JSONata's evaluation semantics that are easy to get wrong: sequences and their
// flattening, undefined, singleton arrays and [], predicates, tuple bindings (@, #, %),
// grouping, sorting, transforms, closures and partial application, and run-time errors
// with their codes and positions.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "test/engine/jsonata/jsonata_run.hpp"

namespace flowstate::jsonata {
namespace {

using test::run_code;
using test::run_jsonata;

using Table = std::vector<std::pair<const char*, const char*>>;

const char* const kOrders = R"({"Account": {"Order": [
    {"OrderID": "o1", "Product": [{"Name": "A", "Price": 10, "Quantity": 2}, {"Name": "B", "Price": 5, "Quantity": 1}]},
    {"OrderID": "o2", "Product": [{"Name": "C", "Price": 7, "Quantity": 3}]}]},
  "nested": [[1, 2], [3, [4]]], "one": [9]})";

void check_table(const Table& table, const char* input = kOrders) {
  for (const auto& [expression, expected] : table) {
    INFO(expression);
    CHECK(run_jsonata(expression, input) == expected);
  }
}

TEST_CASE("Evaluator: paths map over arrays and flatten one level per step", "[jsonata]") {
  check_table({
      {"Account.Order.Product.Name", R"(["A","B","C"])"},
      {"Account.Order[0].Product[1].Name", R"("B")"},
      {"Account.Order.Product[0].Name", R"(["A","C"])"},       // [0] applies per Order
      {"(Account.Order.Product)[0].Name", R"("A")"},           // [0] applies to the whole sequence
      {"Account.Order.Product[-1].Name", R"(["B","C"])"},
      {"nested", "[[1,2],[3,[4]]]"},                           // the value as it is
      {"nested.$", "[1,2,3,[4]]"},                              // one level flattened
      {"**.Name", R"(["A","B","C"])"},
      {"Account.*.OrderID", R"(["o1","o2"])"},
  });
}

TEST_CASE("Evaluator: a singleton sequence is its item, [] keeps it an array", "[jsonata]") {
  check_table({
      {"Account.Order[0].OrderID", R"("o1")"},
      {"Account.Order[0].OrderID[]", R"(["o1"])"},
      {"one", "[9]"},                       // an array in the input stays an array
      {"{\"a\": [1]}.a", "[1]"},
      {"[[1]]", "[[1]]"},
      {"[1, [2, 3], [[4]]]", "[1,[2,3],[[4]]]"},
      {"$append([1], [[2]])", "[1,[2]]"},
      {"[1..3].($ * 2)", "[2,4,6]"},
  });
}

TEST_CASE("Evaluator: undefined propagates and is not an error", "[jsonata]") {
  check_table({
      {"missing", "undefined"},
      {"missing.deeper[0]", "undefined"},
      {"missing + 1", "undefined"},
      {"$count(missing)", "0"},
      {"$exists(missing)", "false"},
      {"missing = 1", "false"},
      {"missing < 1", "undefined"},
      {"true and missing", "false"},
      {"missing ?: \"default\"", R"("default")"},
      {"missing ?? \"default\"", R"("default")"},
      {"\"x\" & missing", R"("x")"},
      {"[missing, 1]", "[1]"},
      {"{\"a\": missing}", "{}"},
  });
}

TEST_CASE("Evaluator: predicates filter by condition, by index and by index lists", "[jsonata]") {
  check_table({
      {"Account.Order.Product[Price > 6].Name", R"(["A","C"])"},
      {"[1,2,3][$ > 1]", "[2,3]"},
      {"[1,2,3][[0,2]]", "[1,3]"},
      {"[1,2,3][0.9]", "1"},                 // indexes are floored
      {"[1,2,3][5]", "undefined"},
  });
}

TEST_CASE("Evaluator: @ and # bind the context and the position, % is the parent", "[jsonata]") {
  check_table({
      {"Account.Order#$i.Product.{\"i\": $i, \"n\": Name}", R"([{"i":0,"n":"A"},{"i":0,"n":"B"},{"i":1,"n":"C"}])"},
      {"Account.Order.Product@$p.{\"n\": $p.Name}", R"([{"n":"A"},{"n":"B"},{"n":"C"}])"},
      {"Account.Order.Product.{\"o\": %.OrderID, \"n\": Name}",
       R"([{"o":"o1","n":"A"},{"o":"o1","n":"B"},{"o":"o2","n":"C"}])"},
  });
  CHECK(run_code("%.a") == "error S0217");
}

TEST_CASE("Evaluator: object constructors group, ^ sorts stably", "[jsonata]") {
  check_table({
      {"Account.Order.Product.{Name: Price * Quantity}", R"([{"A":20},{"B":5},{"C":21}])"},
      {"Account.Order.Product{Name: Price * Quantity}", R"({"A":20,"B":5,"C":21})"},
      {"Account.Order.Product{\"all\": Name}", R"({"all":["A","B","C"]})"},
      {"Account.Order.Product^(>Price).Name", R"(["A","C","B"])"},
      {"[3, 1, 2]^($)", "[1,2,3]"},
  });
  CHECK(run_code("{\"a\": 1, \"a\": 2}") == "error D1009");
  CHECK(run_code("{1: 2}") == "error T1003");
  CHECK(run_code("[1, \"a\"]^($)") == "error T2007");
}

TEST_CASE("Evaluator: transform copies and updates, leaving the input alone", "[jsonata]") {
  check_table({
      {"Account ~> | Order.Product | {\"Total\": Price * Quantity}, [\"Quantity\", \"Price\"] |",
       R"({"Order":[{"OrderID":"o1","Product":[{"Name":"A","Total":20},{"Name":"B","Total":5}]},{"OrderID":"o2","Product":[{"Name":"C","Total":21}]}]})"},
      {"($t := | Product | {\"x\": 1} |; [Account.Order[0] ~> $t, Account.Order[0]].Product.x)", "[1,1]"},
  });
  CHECK(run_code("{\"a\": 1} ~> | $ | 5 |") == "error T2011");
  CHECK(run_code("{\"a\": 1} ~> | $ | {}, 5 |") == "error T2012");
}

TEST_CASE("Evaluator: lambdas close over their scope, ? partially applies, ~> chains", "[jsonata]") {
  check_table({
      {"($add := function($a, $b){ $a + $b }; $inc := $add(?, 1); $inc(41))", "42"},
      {"($f := function($x){ function($y){ $x & $y } }; $f(\"a\")(\"b\"))", R"("ab")"},
      {"\"a\" ~> $uppercase() ~> $substring(0, 1)", R"("A")"},
      {"($up := $uppercase ~> $substring(?, 0, 2); $up(\"abc\"))", R"("AB")"},
      {"$map([1,2,3], function($v, $i){ $v * $i })", "[0,2,6]"},
      {"($x := 1; ($x := 2); $x)", "1"},  // a block is a scope
      {"function($a)<n:n>{ $a }(\"s\")", "error T0410@24: Argument 1 of function function does not match function signature"},
  });
  CHECK(run_code("$missing()") == "error T1006");
  CHECK(run_code("uppercase(\"a\")") == "error T1005");
  CHECK(run_code("1 ~> 2") == "error T2006");
}

TEST_CASE("Evaluator: run-time errors carry JSONata's codes and the operator's position", "[jsonata]") {
  CHECK(run_jsonata("1 + \"a\"") == "error T2002@3: The right side of the \"+\" operator must evaluate to a number");
  CHECK(run_jsonata("\"a\" - 1") == "error T2001@5: The left side of the \"-\" operator must evaluate to a number");
  CHECK(run_jsonata("1e300 * 1e300") == "error D1001@7: Number out of range: inf");
  CHECK(run_jsonata("1 < \"a\"") == "error T2009@3: The values either side of the operator must be of the same data type");
  CHECK(run_jsonata("{} < 1") == "error T2010@4: The expressions either side of operator must evaluate to numeric or string values");
  CHECK(run_jsonata("[1..\"a\"]") == "error T2004@4: The right side of the range operator (..) must evaluate to an integer");
  CHECK(run_code("[1..20000000]") == "error D2014");
  CHECK(run_code("-\"a\"") == "error D1002");
  CHECK(run_jsonata("$sum(\"a\")") == "error T0412@5: Argument 1 of function $sum must be an array of numbers");
}

TEST_CASE("Evaluator: the depth limit stops deep recursion, the time limit stops loops", "[jsonata]") {
  EvaluationLimits shallow;
  shallow.max_depth = 50;
  CHECK(run_jsonata("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))", "null", {}, shallow).rfind(
            "error U1001", 0) == 0);
  CHECK(run_jsonata("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10))", "null", {}, shallow) == "10");
  EvaluationLimits quick;
  quick.time_limit = std::chrono::milliseconds(20);
  std::string timeout = run_jsonata("($f := function($n){ $f($n + 1) }; $f(0))", "null", {}, quick);
  CHECK(timeout.rfind("error U1001@", 0) == 0);
  CHECK(timeout.substr(timeout.find(':')) == ": Expression evaluation timeout: Check for infinite loop");
}

}  // namespace
}  // namespace flowstate::jsonata
