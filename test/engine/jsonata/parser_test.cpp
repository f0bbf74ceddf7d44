// Tests of the JSONata parser's errors: each syntax error has JSONata's code, message and
// the offset just after the token at fault.
#include "engine/jsonata/parser.hpp"

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {
namespace {

std::string parse_error(std::string_view text) {
  try {
    parse(text);
  } catch (const RaisedError& e) {
    return e.error().code + "@" + std::to_string(e.error().position) + ": " + e.error().message;
  }
  return "parsed";
}

TEST_CASE("Parser: syntax errors carry JSONata's codes, messages and positions", "[jsonata][parser]") {
  CHECK(parse_error("a.b +") == "S0207@5: Unexpected end of expression");
  CHECK(parse_error("foo bar") == "S0201@7: Syntax error: bar");
  CHECK(parse_error("{\"a\": 1") == "S0203@7: Expected \"}\" before end of expression");
  CHECK(parse_error("(1; 2]") == "S0202@6: Expected \")\", got \"]\"");
  CHECK(parse_error("\"abc") == "S0101@4: String literal must be terminated by a matching quote");
  CHECK(parse_error("1e999") == "S0102@5: Number out of range: 1e999");
  CHECK(parse_error("\"\\q\"") == "S0103@3: Unsupported escape sequence: \\q");
  CHECK(parse_error("\"\\u12\"") == "S0104@3: The escape sequence \\u must be followed by 4 hex digits");
  CHECK(parse_error("`abc") == "S0105@0: Quoted property name must be terminated with a backquote (`)");
  CHECK(parse_error("1 /* open") == "S0106@2: Comment has no closing tag");
  CHECK(parse_error("[1!2]") == "S0204@3: Unknown operator: \"!\"");
  CHECK(parse_error("function(a){1}") == "S0208@10: Parameter 1 of function definition must be a variable name (start with $)");
  CHECK(parse_error("a{\"x\": 1}[0]") == "parsed");
  CHECK(parse_error("a{\"x\": 1}{\"y\": 2}") == "S0210@10: Each step can only have one grouping expression");
  CHECK(parse_error(")") == "S0211@1: The symbol ) cannot be used as a unary operator");
  CHECK(parse_error("a := 1") == "S0212@4: The left side of := must be a variable name (start with $)");
  CHECK(parse_error("a.1") == "S0213@3: The literal value cannot be used as a step within a path expression");
  CHECK(parse_error("a@b") == "S0214@2: The right side of @ must be a variable name (start with $)");
  CHECK(parse_error("a[0]@$x") == "S0215@5: A context variable binding must precede any predicates on a step");
  CHECK(parse_error("%") == "S0217@1: The object representing the 'parent' cannot be derived from this expression");
  CHECK(parse_error("//") == "S0301@1: Empty regular expressions are not allowed");
  CHECK(parse_error("/abc") == "S0302@4: No terminating / in regular expression");
  CHECK(parse_error("function($a)<q>{1}") == "S0401@12: Unknown type 'q' in function signature");
}

TEST_CASE("Parser: nesting is bounded instead of exhausting the stack", "[jsonata][parser]") {
  std::string deep(100000, '(');
  CHECK(parse_error(deep) == "S0201@501: Syntax error: expression nested too deeply");
  CHECK(parse_error(std::string(100, '(') + "1" + std::string(100, ')')) == "parsed");
}

TEST_CASE("Parser: comments, quoted names and regex literals", "[jsonata][parser]") {
  CHECK(parse_error("/* a comment */ `a b`.c") == "parsed");
  CHECK(parse_error("$match(x, /a[/]b/i)") == "parsed");
  CHECK(parse_error("x / 2 / y") == "parsed");  // division, not a regex
}

}  // namespace
}  // namespace flowstate::jsonata
