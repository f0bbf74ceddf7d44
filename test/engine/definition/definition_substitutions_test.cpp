// fill_placeholders: ${Name} placeholders filled in a definition's text as CloudFormation's
// DefinitionSubstitutions fill them (Fn::Sub's rules), unfilled ones reported with their
// line:column.
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/definition/definition_substitutions.hpp"

namespace {

using namespace flowstate::definition;

std::string positions(const FilledDefinition& filled) {
  std::string out;
  for (const auto& placeholder : filled.unfilled)
    out += fmt::format("{} {}\n", placeholder.name, placeholder.location);
  return out;
}

TEST_CASE("DefinitionSubstitutions: every placeholder the map names is filled, verbatim",
          "[definition][substitutions]") {
  Substitutions values{{"FunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:f"},
                       {"Table", "my \"table\""},
                       {"AWS::Region", "eu-west-1"},
                       {"Bucket.Arn", "arn:aws:s3:::b"}};
  auto filled = fill_placeholders(
      R"({"Resource": "${FunctionArn}", "T": "${Table}", "R": "${AWS::Region}/${Bucket.Arn}${FunctionArn}"})",
      values, "m.json");
  CHECK(filled.unfilled.empty());
  CHECK(filled.text == R"({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "T": "my "table"", )"
                       R"("R": "eu-west-1/arn:aws:s3:::barn:aws:lambda:us-east-1:123456789012:function:f"})");
}

TEST_CASE("DefinitionSubstitutions: one pass, so a value's own ${...} is not filled again",
          "[definition][substitutions]") {
  auto filled = fill_placeholders("a: ${A}\n", {{"A", "${B}"}, {"B", "b"}}, "m.yaml");
  CHECK(filled.text == "a: ${B}\n");
  CHECK(filled.unfilled.empty());
}

TEST_CASE("DefinitionSubstitutions: ${!Name} is the literal ${Name}, as in Fn::Sub",
          "[definition][substitutions]") {
  auto filled = fill_placeholders("Command: [sh, -c, 'echo ${!HOME} $${X} ${!}']\n", {{"X", "x"}}, "m.yaml");
  CHECK(filled.text == "Command: [sh, -c, 'echo ${HOME} $x ${}']\n");
  CHECK(filled.unfilled.empty());
}

TEST_CASE("DefinitionSubstitutions: an unfilled placeholder is reported at the line:column of its $",
          "[definition][substitutions]") {
  auto filled = fill_placeholders("StartAt: A\nStates:\n  A: {Type: Task, Resource: \"${Fn}\", Comment: \"é ${Other}\"}\n",
                                  {}, "m.yaml");
  CHECK(positions(filled) == "Fn m.yaml:3:30\nOther m.yaml:3:51\n");
  CHECK(filled.text == "StartAt: A\nStates:\n  A: {Type: Task, Resource: \"${Fn}\", Comment: \"é ${Other}\"}\n");

  Diagnostics diagnostics;
  fill_placeholders("x: ${Fn}\n", {}, "m.yaml", diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(to_string(diagnostics.items()[0]) ==
        "m.yaml:1:4: error: the placeholder ${Fn} has no value; give it with --substitute Fn=VALUE or in a "
        "--substitutions file, or write ${!Fn} for the literal text ${Fn}");
}

TEST_CASE("DefinitionSubstitutions: ${...} that is not a Name then } is not a placeholder",
          "[definition][substitutions]") {
  auto filled = fill_placeholders("a: '${VAR:-x} ${ A } ${} ${#list[@]} ${unclosed'\n", {}, "m.yaml");
  CHECK(filled.unfilled.empty());
  CHECK(filled.text == "a: '${VAR:-x} ${ A } ${} ${#list[@]} ${unclosed'\n");
  CHECK(is_placeholder_name("AWS::Region"));
  CHECK(is_placeholder_name("My_Table.Arn"));
  CHECK_FALSE(is_placeholder_name(""));
  CHECK_FALSE(is_placeholder_name("a b"));
  CHECK_FALSE(is_placeholder_name("a-b"));
}

}  // namespace

namespace {

TEST_CASE("DefinitionSubstitutions: a position in the filled text maps back to the text as written",
          "[definition][substitutions]") {
  std::string text = "a: ${Long} b: ${!X} c\n${Short}: d\ne\n";
  auto filled = fill_placeholders(text, {{"Long", "a-much-longer-value"}, {"Short", "s"}}, "m.yaml");
  REQUIRE(filled.text == "a: a-much-longer-value b: ${X} c\ns: d\ne\n");
  auto original = [&](std::size_t line, std::size_t column) {
    return fmt::format("{}", filled.positions.original(SourceLocation{"m.yaml", line, column}));
  };
  CHECK(original(1, 1) == "m.yaml:1:1");    // before any value
  CHECK(original(1, 4) == "m.yaml:1:4");    // the value's start: the placeholder's
  CHECK(original(1, 10) == "m.yaml:1:4");   // inside the value
  CHECK(original(1, 24) == "m.yaml:1:12");  // "b" after it
  CHECK(original(1, 27) == "m.yaml:1:15");  // "${X}" written "${!X}"
  CHECK(original(1, 32) == "m.yaml:1:21");  // "c"
  CHECK(original(2, 1) == "m.yaml:2:1");
  CHECK(original(2, 4) == "m.yaml:2:11");   // "d"
  CHECK(original(3, 1) == "m.yaml:3:1");
  auto untouched = fill_placeholders("a: 1\n", {}, "m.yaml");
  CHECK(fmt::format("{}", untouched.positions.original(SourceLocation{"m.yaml", 1, 4})) == "m.yaml:1:4");
}

}  // namespace
