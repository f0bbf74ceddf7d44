#include "states/choice_rule.hpp"

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "engine/definition/document.hpp"

namespace json = boost::json;
using flowstate::asl::Failure;
using flowstate::data::PathScope;
using flowstate::definition::Diagnostics;
using flowstate::definition::Document;
using flowstate::states::ChoiceRule;
using flowstate::states::RuleLevel;

namespace {

struct CompiledRule {
  std::optional<ChoiceRule> rule;
  std::vector<std::string> diagnostics;  // "test.yaml:line:col: error: message", sorted
};

CompiledRule compile_rule(const std::string& yaml, RuleLevel level = RuleLevel::top) {
  Diagnostics diagnostics;
  auto document = Document::parse(yaml, "test.yaml", diagnostics);
  REQUIRE(document);
  CompiledRule out;
  out.rule = ChoiceRule::compile(document->root(), level, *document, diagnostics);
  for (const auto& d : diagnostics.sorted()) out.diagnostics.push_back(to_string(d));
  return out;
}

json::value parse(const std::string& text) {
  auto value = flowstate::data::parse_json(text);
  REQUIRE(value.has_value());
  return *value;
}

// Compiles a rule that must be valid and evaluates it against `input`.
boost::system::result<bool, Failure> evaluate(const std::string& rule, const std::string& input) {
  auto compiled = compile_rule(rule);
  INFO(rule);
  REQUIRE(compiled.diagnostics.empty());
  REQUIRE(compiled.rule);
  json::value value = parse(input);
  return compiled.rule->evaluate(PathScope{value});
}

bool matches(const std::string& rule, const std::string& input) {
  auto result = evaluate(rule, input);
  INFO(rule << " on " << input);
  REQUIRE(result.has_value());
  return *result;
}

Failure missing(const std::string& path) {
  return Failure{"States.Runtime", "Invalid path '" + path +
                                       "': The choice state's condition path references an "
                                       "invalid value."};
}

}  // namespace

TEST_CASE("ChoiceRule: every comparison operator, literal and Path form, over typed values",
          "[states][choice]") {
  struct Row {
    std::string op;       // without the "Path" suffix
    std::string operand;  // JSON
    std::string value;    // JSON of $.Variable
    bool expected;
  };
  auto row = GENERATE(values<Row>({
      // Strings: Java String.compareTo, no case folding; other types never match.
      {"StringEquals", R"("b")", R"("b")", true},
      {"StringEquals", R"("b")", R"("B")", false},
      {"StringEquals", R"("\t\r\n")", R"("\t\n")", false},
      {"StringEquals", R"("1")", "1", false},
      {"StringEquals", R"("true")", "true", false},
      {"StringEquals", R"("b")", "null", false},
      {"StringEquals", R"("b")", R"(["b"])", false},
      {"StringEquals", R"("2016-03-14T01:59:00Z")", R"("2016-03-14T01:59:00Z")", true},
      {"StringLessThan", R"("b")", R"("a")", true},
      {"StringLessThan", R"("b")", R"("")", true},
      {"StringLessThan", R"("b")", R"("b")", false},
      {"StringLessThan", R"("b")", R"("ba")", false},
      {"StringLessThan", R"("b")", "0", false},
      // U+1F600 is the surrogate pair D83D DE00 in UTF-16, below U+FF61 (UTF-8 bytes say the
      // opposite): Java order wins.
      {"StringLessThan", R"("｡")", R"("😀")", true},
      {"StringGreaterThan", R"("｡")", R"("😀")", false},
      {"StringGreaterThan", R"("b")", R"("ba")", true},
      {"StringGreaterThan", R"("b")", R"("b")", false},
      {"StringGreaterThan", R"("A ")", R"("A")", false},
      {"StringGreaterThan", R"("b")", "null", false},
      {"StringLessThanEquals", R"("b")", R"("b")", true},
      {"StringLessThanEquals", R"("b")", R"("a")", true},
      {"StringLessThanEquals", R"("b")", R"("c")", false},
      {"StringGreaterThanEquals", R"("b")", R"("b")", true},
      {"StringGreaterThanEquals", R"("b")", R"("c")", true},
      {"StringGreaterThanEquals", R"("b")", R"("a")", false},
      // Numbers compare by value across integer and decimal forms.
      {"NumericEquals", "1", "1", true},
      {"NumericEquals", "1", "1.0", true},
      {"NumericEquals", "1.0", "1", true},
      {"NumericEquals", "0", "-0.0", true},
      {"NumericEquals", "2.22", "2.22", true},
      {"NumericEquals", "1", "1.5", false},
      {"NumericEquals", "1", R"("1")", false},
      {"NumericEquals", "1", "true", false},
      {"NumericEquals", "0", "null", false},
      {"NumericEquals", "0", "[]", false},
      {"NumericEquals", "0", "{}", false},
      {"NumericEquals", "9007199254740993", "9007199254740992", false},
      {"NumericEquals", "18446744073709551615", "-1", false},
      {"NumericLessThan", "1", "0", true},
      {"NumericLessThan", "1", "0.5", true},
      {"NumericLessThan", "1", "1.0", false},
      {"NumericLessThan", "1", "2", false},
      {"NumericLessThan", "1", R"("0")", false},
      {"NumericLessThan", "9007199254740993", "9007199254740992.0", true},
      {"NumericLessThan", "-1", "-1.5", true},
      {"NumericGreaterThan", "1", "2", true},
      {"NumericGreaterThan", "1", "1.0000001", true},
      {"NumericGreaterThan", "1", "1", false},
      {"NumericGreaterThan", "-1", "18446744073709551615", true},
      {"NumericGreaterThan", "1e300", "18446744073709551615", false},
      {"NumericLessThanEquals", "1", "1.0", true},
      {"NumericLessThanEquals", "1", "-3", true},
      {"NumericLessThanEquals", "1", "2", false},
      {"NumericGreaterThanEquals", "1", "1", true},
      {"NumericGreaterThanEquals", "1", "0.99", false},
      {"NumericGreaterThanEquals", "1", "false", false},
      // Booleans.
      {"BooleanEquals", "true", "true", true},
      {"BooleanEquals", "true", "false", false},
      {"BooleanEquals", "false", "false", true},
      {"BooleanEquals", "true", R"("true")", false},
      {"BooleanEquals", "true", "1", false},
      {"BooleanEquals", "false", "0", false},
      {"BooleanEquals", "false", "null", false},
      // Timestamps compare as instants; a string that is not a timestamp never matches.
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55Z")", true},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T20:00:55+01:00")", true},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55.000Z")", true},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:56Z")", false},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55")", false},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09 19:00:55Z")", false},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", "0", false},
      {"TimestampEquals", R"("2012-10-09T19:00:55Z")", "null", false},
      {"TimestampLessThan", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:54.999Z")", true},
      {"TimestampLessThan", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55Z")", false},
      {"TimestampGreaterThan", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:56Z")", true},
      {"TimestampGreaterThan", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:30:55+01:00")",
       false},
      {"TimestampLessThanEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55Z")", true},
      {"TimestampLessThanEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:56Z")",
       false},
      {"TimestampGreaterThanEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:55Z")",
       true},
      {"TimestampGreaterThanEquals", R"("2012-10-09T19:00:55Z")", R"("2012-10-09T19:00:54Z")",
       false},
  }));
  auto form = GENERATE(as<std::string>{}, "literal", "Path");
  std::string input = R"({"Variable": )" + row.value + R"(, "Value": )" + row.operand + "}";
  std::string rule = form == "literal"
                         ? R"({"Variable": "$.Variable", ")" + row.op + R"(": )" + row.operand +
                               R"(, "Next": "Done"})"
                         : R"({"Variable": "$.Variable", ")" + row.op +
                               R"(Path": "$.Value", "Next": "Done"})";
  CHECK(matches(rule, input) == row.expected);
}

TEST_CASE("ChoiceRule: a Path operand of the wrong type compares false", "[states][choice]") {
  auto op = GENERATE(as<std::string>{}, "StringEqualsPath", "NumericEqualsPath",
                     "BooleanEqualsPath", "TimestampEqualsPath");
  auto other = GENERATE(as<std::string>{}, "null", R"("not a timestamp")", "[]", "{}");
  std::string rule = R"({"Variable": "$.a", ")" + op + R"(": "$.b", "Next": "Done"})";
  bool expected = op == "StringEqualsPath" && other == R"("not a timestamp")";
  CHECK(matches(rule, R"({"a": "not a timestamp", "b": )" + other + "}") == expected);
}

TEST_CASE("ChoiceRule: type tests with true and false over every JSON type", "[states][choice]") {
  // Columns: null, 1, 1.5, "s", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00", true, [], {}
  const std::vector<std::string> samples{"null", "1", "1.5", R"("s")", R"("2016-03-14T01:59:00Z")",
                                        R"("2016-03-14T01:59:00")", "true", "[]", "{}"};
  struct Row {
    std::string op;
    std::string is_type;  // '1' where the value has the type
  };
  auto row = GENERATE(values<Row>({
      {"IsNull", "100000000"},
      {"IsPresent", "111111111"},
      {"IsNumeric", "011000000"},
      {"IsString", "000111000"},
      {"IsBoolean", "000000100"},
      {"IsTimestamp", "000010000"},
  }));
  auto flag = GENERATE(true, false);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::string rule = R"({"Variable": "$.v", ")" + row.op + R"(": )" +
                       (flag ? "true" : "false") + R"(, "Next": "Done"})";
    CHECK(matches(rule, R"({"v": )" + samples[i] + "}") == ((row.is_type[i] == '1') == flag));
  }
}

TEST_CASE("ChoiceRule: StringMatches wildcards and escapes", "[states][choice]") {
  struct Row {
    std::string pattern;  // JSON string literal
    std::string value;    // JSON
    bool expected;
  };
  auto row = GENERATE(values<Row>({
      {R"("log-*.txt")", R"("log-1.txt")", true},
      {R"("log-*.txt")", R"("log-.txt")", true},
      {R"("log-*.txt")", R"("log-1.txt.bak")", false},
      {R"("log-*.txt")", R"("xlog-1.txt")", false},
      {R"("*.log")", R"("zebra.log")", true},
      {R"("foo*.*")", R"("foobar.zebra")", true},
      {R"("*")", R"("")", true},
      {R"("")", R"("")", true},
      {R"("")", R"("a")", false},
      {R"("a*b*c")", R"("aXbYc")", true},
      {R"("a*b*c")", R"("abcbc")", true},
      {R"("a*b*c")", R"("acb")", false},
      {R"("a*a")", R"("a")", false},
      {R"("*aa")", R"("aaa")", true},
      {R"("h*o")", R"("héllo")", true},
      {R"("\\*")", R"("*")", true},
      {R"("\\*")", R"("x")", false},
      {R"("*\\**")", R"("x*y")", true},
      {R"("*\\**")", R"("xy")", false},
      {R"("a\\\\b")", R"("a\\b")", true},
      {R"("a\\\\*")", R"("a\\bc")", true},
      {R"("*")", "1", false},
      {R"("*")", "null", false},
  }));
  std::string rule = R"({"Variable": "$.v", "StringMatches": )" + row.pattern + R"(, "Next": "X"})";
  CHECK(matches(rule, R"({"v": )" + row.value + "}") == row.expected);
}

TEST_CASE("ChoiceRule: a Variable that matches nothing is States.Runtime except for IsPresent",
          "[states][choice]") {
  auto op = GENERATE(as<std::string>{}, R"("IsNull": true)", R"("IsNull": false)",
                     R"("IsNumeric": false)", R"("IsString": true)", R"("IsBoolean": false)",
                     R"("IsTimestamp": true)", R"("StringEquals": "x")",
                     R"("StringMatches": "*")", R"("NumericLessThan": 1)",
                     R"("BooleanEquals": true)", R"("TimestampEquals": "2016-03-14T01:59:00Z")",
                     R"("NumericEqualsPath": "$.other")");
  auto result = evaluate(R"({"Variable": "$.missing", )" + op + R"(, "Next": "X"})", R"({"other": 1})");
  REQUIRE(result.has_error());
  CHECK(result.error() == missing("$.missing"));
}

TEST_CASE("ChoiceRule: IsPresent tests whether the Variable matches anything",
          "[states][choice]") {
  CHECK_FALSE(matches(R"({"Variable": "$.missing", "IsPresent": true, "Next": "X"})", "{}"));
  CHECK(matches(R"({"Variable": "$.missing", "IsPresent": false, "Next": "X"})", "{}"));
  CHECK(matches(R"({"Variable": "$.a.b[3]", "IsPresent": false, "Next": "X"})", R"({"a": 1})"));
  CHECK(matches(R"({"Variable": "$.v", "IsPresent": true, "Next": "X"})", R"({"v": null})"));
}

TEST_CASE("ChoiceRule: a *Path operand that matches nothing is States.Runtime naming it",
          "[states][choice]") {
  auto result = evaluate(R"({"Variable": "$.v", "StringEqualsPath": "$.nope", "Next": "X"})",
                         R"({"v": "a"})");
  REQUIRE(result.has_error());
  CHECK(result.error() == missing("$.nope"));
}

TEST_CASE("ChoiceRule: And, Or and Not combine rules and short-circuit left to right",
          "[states][choice]") {
  // DG state-choice: the StringEquals rule "is only evaluated if $.keyThatMightNotExist exists".
  std::string guarded = R"({"And": [{"Variable": "$.k", "IsPresent": true},
                                    {"Variable": "$.k", "StringEquals": "foo"}], "Next": "X"})";
  CHECK_FALSE(matches(guarded, "{}"));
  CHECK(matches(guarded, R"({"k": "foo"})"));
  CHECK_FALSE(matches(guarded, R"({"k": "bar"})"));

  std::string either = R"({"Or": [{"Variable": "$.flag", "BooleanEquals": true},
                                  {"Variable": "$.missing", "StringEquals": "x"}], "Next": "X"})";
  CHECK(matches(either, R"({"flag": true})"));
  auto failed = evaluate(either, R"({"flag": false})");
  REQUIRE(failed.has_error());
  CHECK(failed.error() == missing("$.missing"));

  std::string negated = R"({"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "X"})";
  CHECK(matches(negated, R"({"type": "Public"})"));
  CHECK_FALSE(matches(negated, R"({"type": "Private"})"));
  auto not_failed = evaluate(negated, "{}");
  REQUIRE(not_failed.has_error());
  CHECK(not_failed.error() == missing("$.type"));

  std::string twenties = R"({"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20},
                                     {"Not": {"Or": [{"Variable": "$.value", "NumericLessThan": 20},
                                                     {"Variable": "$.value", "NumericGreaterThanEquals": 30}]}}],
                             "Next": "ValueInTwenties"})";
  CHECK(matches(twenties, R"({"value": 22})"));
  CHECK_FALSE(matches(twenties, R"({"value": 30})"));
  CHECK_FALSE(matches(twenties, R"({"value": 19.5})"));
}

TEST_CASE("ChoiceRule: Variable and *Path may read the context object and variables",
          "[states][choice]") {
  json::value input = parse(R"({"n": 3})");
  json::value context = parse(R"({"Execution": {"Name": "run-1", "Input": {"input-value": 2}}})");
  json::object variables = parse(R"({"count": 3, "answer": "run-1"})").as_object();
  PathScope scope{input, &context, &variables};

  auto by_context = compile_rule(R"({"Variable": "$$.Execution.Name", "StringEqualsPath": "$answer", "Next": "X"})");
  REQUIRE(by_context.rule);
  CHECK(by_context.rule->evaluate(scope).value());

  auto by_variable = compile_rule(R"({"Variable": "$count", "NumericEqualsPath": "$.n", "Next": "X"})");
  REQUIRE(by_variable.rule);
  CHECK(by_variable.rule->evaluate(scope).value());

  auto missing_variable = compile_rule(R"({"Variable": "$nope", "IsPresent": false, "Next": "X"})");
  REQUIRE(missing_variable.rule);
  CHECK(missing_variable.rule->evaluate(scope).value());
}

TEST_CASE("ChoiceRule: definition errors name the position and what would be right",
          "[states][choice]") {
  struct Row {
    std::string yaml;
    std::vector<std::string> diagnostics;
  };
  auto row = GENERATE(values<Row>({
      {"Variable: $.x\nStringEquals: a\nColour: red\nNext: Done\n",
       {"test.yaml:3:1: error: unknown field 'Colour' in Choice rule; expected Variable with one "
        "comparison operator, or one of And, Or, Not"}},
      {"Variable: $.x\nstringEquals: a\nNext: Done\n",
       {"test.yaml:2:1: error: unknown field 'stringEquals' in Choice rule; did you mean "
        "'StringEquals'?"}},
      {"Variable: $.x\nNext: Done\n",
       {"test.yaml:1:1: error: Choice rule has no comparison operator; expected Variable with one "
        "operator (such as StringEquals, NumericLessThanPath, BooleanEquals, TimestampGreaterThan "
        "or IsPresent), or one of And, Or, Not"}},
      {"Variable: $.x\nStringEquals: a\nNumericEquals: 1\nNext: Done\n",
       {"test.yaml:3:1: error: Choice rule has two operators, 'StringEquals' and 'NumericEquals'; "
        "a rule holds exactly one (combine rules with And or Or)"}},
      {"StringEquals: a\nNext: Done\n",
       {"test.yaml:1:1: error: Choice rule with 'StringEquals' has no 'Variable'; add the path of "
        "the value to test, e.g. Variable: $.status"}},
      {"Variable: 5\nIsNull: true\nNext: Done\n",
       {"test.yaml:1:11: error: 'Variable' must be a path string such as $.status; got a number"}},
      {"Variable: $.a[*]\nIsNull: true\nNext: Done\n",
       {"test.yaml:1:11: error: 'Variable' must name a single node (only .name, ['name'] and [n]); "
        "got '$.a[*]'"}},
      {"Variable: $.x\nNumericEquals: \"1\"\nNext: Done\n",
       {"test.yaml:2:16: error: 'NumericEquals' expects a number; got a string"}},
      {"Variable: $.x\nStringLessThan: 1\nNext: Done\n",
       {"test.yaml:2:17: error: 'StringLessThan' expects a string; got a number"}},
      {"Variable: $.x\nBooleanEquals: yes\nNext: Done\n",
       {"test.yaml:2:16: error: 'BooleanEquals' expects true or false; got a string"}},
      {"Variable: $.x\nIsNull: 1\nNext: Done\n",
       {"test.yaml:2:9: error: 'IsNull' expects true or false; got a number"}},
      {"Variable: $.x\nTimestampEquals: 0\nNext: Done\n",
       {"test.yaml:2:18: error: 'TimestampEquals' expects a timestamp string such as "
        "2016-03-14T01:59:00Z; got a number"}},
      {"Variable: $.x\nTimestampLessThan: 2016-12-05T21:29:29\nNext: Done\n",
       {"test.yaml:2:20: error: 'TimestampLessThan' value '2016-12-05T21:29:29' is not a valid "
        "timestamp; expected RFC 3339 with an uppercase T and a Z or ±hh:mm offset, e.g. "
        "2016-03-14T01:59:00Z"}},
      {"Variable: $.x\nStringEqualsPath: 3\nNext: Done\n",
       {"test.yaml:2:19: error: 'StringEqualsPath' must be a path string such as $.status; got a "
        "number"}},
      {"Variable: $.x\nStringMatches: \"a\\\\b\"\nNext: Done\n",
       {"test.yaml:2:16: error: 'StringMatches' pattern 'a\\b' has a backslash at offset 1 that "
        "escapes neither '*' nor '\\'; write \\* for a literal star and \\\\ for a literal "
        "backslash"}},
      {"Variable: $.x\nStringMatches: \"ab\\\\\"\nNext: Done\n",
       {"test.yaml:2:16: error: 'StringMatches' pattern 'ab\\' has a backslash at offset 2 that "
        "escapes neither '*' nor '\\'; write \\* for a literal star and \\\\ for a literal "
        "backslash"}},
      {"Variable: $.x\nStringMatches: [a]\nNext: Done\n",
       {"test.yaml:2:16: error: 'StringMatches' expects a string pattern such as log-*.txt; got an "
        "array"}},
      {"And: []\nNext: Done\n",
       {"test.yaml:1:6: error: 'And' must be a non-empty array of Choice rules; got an empty "
        "array"}},
      {"Or: {Variable: $.x, IsNull: true}\nNext: Done\n",
       {"test.yaml:1:5: error: 'Or' must be a non-empty array of Choice rules; got an object"}},
      {"Not: [{Variable: $.x, IsNull: true}]\nNext: Done\n",
       {"test.yaml:1:6: error: 'Not' must be an object holding one Choice rule; got an array"}},
      {"And: [1]\nNext: Done\n",
       {"test.yaml:1:7: error: Choice rule must be an object; got a number"}},
      {"Variable: $.x\nAnd:\n  - Variable: $.x\n    IsNull: true\nNext: Done\n",
       {"test.yaml:1:1: error: 'Variable' is not allowed beside 'And'; a boolean rule holds only "
        "its sub-rules"}},
      {"Not:\n  Variable: $.x\n  IsNull: true\n  Next: Done\nNext: Done\n",
       {"test.yaml:4:3: error: 'Next' is not allowed inside And, Or or Not; only a top-level rule "
        "in Choices may have it"}},
      {"Condition: '{% $x %}'\nNext: Done\n",
       {"test.yaml:1:1: error: 'Condition' is a JSONata field; a JSONPath Choice rule uses "
        "Variable with a comparison operator"}},
      {"Or:\n  - Variable: $.x\n    NumericEquals: a\n  - StringEquals: b\nNext: Done\n",
       {"test.yaml:3:20: error: 'NumericEquals' expects a number; got a string",
        "test.yaml:4:5: error: Choice rule with 'StringEquals' has no 'Variable'; add the path of "
        "the value to test, e.g. Variable: $.status"}},
  }));
  auto compiled = compile_rule(row.yaml);
  INFO(row.yaml);
  CHECK_FALSE(compiled.rule);
  CHECK(compiled.diagnostics == row.diagnostics);
}

TEST_CASE("ChoiceRule: a malformed path is reported with the parser's reason",
          "[states][choice]") {
  auto compiled = compile_rule("Variable: $.x\nNumericEqualsPath: \"$.a[\"\nNext: Done\n");
  CHECK_FALSE(compiled.rule);
  REQUIRE(compiled.diagnostics.size() == 1);
  CHECK_THAT(compiled.diagnostics[0],
             Catch::Matchers::StartsWith(
                 "test.yaml:2:20: error: 'NumericEqualsPath' is not a valid path: "));
}

TEST_CASE("ChoiceRule: top-level fields belong to the caller, and nested rules may carry Comment",
          "[states][choice]") {
  auto top = compile_rule(
      "Variable: $.x\nIsNull: true\nNext: Done\nComment: c\nAssign: {a: 1}\n");
  CHECK(top.diagnostics.empty());
  CHECK(top.rule);
  auto nested = compile_rule("Variable: $.x\nIsNull: true\nComment: c\n", RuleLevel::nested);
  CHECK(nested.diagnostics.empty());
  CHECK(nested.rule);
  auto nested_assign = compile_rule("Variable: $.x\nIsNull: true\nAssign: {a: 1}\n",
                                    RuleLevel::nested);
  CHECK(nested_assign.diagnostics ==
        std::vector<std::string>{"test.yaml:3:1: error: 'Assign' is not allowed inside And, Or "
                                 "or Not; only a top-level rule in Choices may have it"});
}
