// Tests of Value and of evaluation over borrowed input: a path into the input yields a view
// of the input's own node (no copy), results convert to JSON with integral numbers as
// integers, and deep equality compares numbers by value.
#include "engine/jsonata/value.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/jsonata/bindings.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/parser.hpp"
#include "test/harness/json_text.hpp"

namespace flowstate::jsonata {
namespace {

namespace json = boost::json;

TEST_CASE("Value: a path into the input is a view of the input's node, not a copy", "[jsonata][value]") {
  json::array items;
  for (int i = 0; i < 100000; ++i) items.push_back(json::object{{"id", i}, {"tags", json::array{"a", "b"}}});
  json::value input = json::object{{"items", std::move(items)}};
  Bindings bindings;
  bindings.set_reference("states", input);
  for (const char* text : {"items[7].tags", "$states.items[7].tags", "$$.items[7].tags"}) {
    INFO(text);
    auto tree = parse(text);
    Evaluator evaluator(&bindings, {});
    Value result = evaluator.run(*tree, &input);
    REQUIRE(result.is_array());
    CHECK(result.borrowed() == &input.at("items").at(7).at("tags"));
  }
}

TEST_CASE("Value: integral numbers become int64 JSON within 2^53, other numbers stay doubles", "[jsonata][value]") {
  CHECK(to_json(Value::number(3.0))->is_int64());
  CHECK(to_json(Value::number(-9007199254740992.0))->is_int64());
  CHECK(to_json(Value::number(9007199254740994.0))->is_double());
  CHECK(to_json(Value::number(0.5))->is_double());
  CHECK_FALSE(to_json(Value()).has_value());
}

TEST_CASE("Value: deep equality compares numbers by value and objects by members", "[jsonata][value]") {
  json::value a = flowstate::test::parse_json_text(R"({"x": [1, {"y": 2.0}], "z": null})");
  json::value b = flowstate::test::parse_json_text(R"({"z": null, "x": [1.0, {"y": 2}]})");
  CHECK(deep_equal(Value::borrow(a), Value::borrow(b)));
  CHECK(deep_equal(Value::borrow(a), deep_copy(Value::borrow(b))));
  CHECK_FALSE(deep_equal(Value(), Value()));  // undefined equals nothing
}

TEST_CASE("Value: numbers print as JavaScript prints them", "[jsonata][value]") {
  CHECK(format_number(1e21) == "1e+21");
  CHECK(format_number(123456789012345680000.0) == "123456789012345680000");
  CHECK(format_number(0.000001) == "0.000001");
  CHECK(format_number(1e-7) == "1e-7");
  CHECK(format_number(-2.5) == "-2.5");
}

}  // namespace
}  // namespace flowstate::jsonata
