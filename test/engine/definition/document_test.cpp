// Document: the YAML/JSON loader keeps 1-based positions, types plain scalars as YAML 1.2's
// core schema does, and refuses what yaml-cpp cannot load safely.
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/definition/document.hpp"

namespace {

using namespace flowstate::definition;
namespace json = boost::json;

struct Parsed {
  std::optional<Document> document;
  std::vector<std::string> diagnostics;
};

Parsed parse(std::string_view text) {
  Diagnostics diagnostics;
  Parsed parsed;
  parsed.document = Document::parse(text, "t.yaml", diagnostics);
  for (const auto& diagnostic : diagnostics.sorted())
    parsed.diagnostics.push_back(fmt::format("{}", diagnostic));
  return parsed;
}

std::string at(const SourceLocation& location) { return fmt::format("{}", location); }

}  // namespace

TEST_CASE("Document: positions of values and keys are 1-based line and column", "[definition]") {
  auto parsed = parse("StartAt: A\nStates:\n  A:\n    Type: Pass\n");
  REQUIRE(parsed.document);
  const Document& document = *parsed.document;
  const json::value& start_at = document.root().at("StartAt");
  CHECK(at(document.location_of(start_at)) == "t.yaml:1:10");
  CHECK(at(document.key_location_of(start_at)) == "t.yaml:1:1");
  const json::value& type = document.root().at("States").at("A").at("Type");
  CHECK(at(document.location_of(type)) == "t.yaml:4:11");
  CHECK(at(document.key_location_of(type)) == "t.yaml:4:5");
}

TEST_CASE("Document: JSON text loads with its positions", "[definition]") {
  auto parsed = parse("{\n  \"StartAt\": \"A\",\n  \"n\": [1, 2.5]\n}\n");
  REQUIRE(parsed.document);
  const json::value& n = parsed.document->root().at("n");
  CHECK(n.at(0).is_int64());
  CHECK(n.at(1).is_double());
  CHECK(at(parsed.document->location_of(n.at(1))) == "t.yaml:3:12");
}

TEST_CASE("Document: plain scalars are typed, quoted ones stay strings", "[definition]") {
  auto parsed = parse("quoted: \"123\"\nsingle: '1.5'\ninteger: 123\nnegative: -7\n"
                      "decimal: 1.5\nexponent: 2e3\nyes: true\nno: false\nnothing: null\n"
                      "tilde: ~\nempty:\nword: hello\nversion: 1.0.0\nbig: 18446744073709551615\n");
  REQUIRE(parsed.document);
  const json::value& root = parsed.document->root();
  CHECK(root.at("quoted") == json::value("123"));
  CHECK(root.at("single") == json::value("1.5"));
  CHECK(root.at("integer").is_int64());
  CHECK(root.at("integer").get_int64() == 123);
  CHECK(root.at("negative").get_int64() == -7);
  CHECK(root.at("decimal").is_double());
  CHECK(root.at("decimal").get_double() == 1.5);
  CHECK(root.at("exponent").is_double());
  CHECK(root.at("yes") == json::value(true));
  CHECK(root.at("no") == json::value(false));
  CHECK(root.at("nothing").is_null());
  CHECK(root.at("tilde").is_null());
  CHECK(root.at("empty").is_null());
  CHECK(root.at("word") == json::value("hello"));
  CHECK(root.at("version") == json::value("1.0.0"));
  CHECK(root.at("big").is_uint64());
}

TEST_CASE("Document: anchors, aliases and merge keys are refused with their messages",
          "[definition]") {
  SECTION("anchor and alias") {
    auto parsed = parse("a: &x 1\nb: *x\n");
    CHECK_FALSE(parsed.document);
    CHECK(parsed.diagnostics ==
          std::vector<std::string>{
              "t.yaml:1:4: error: YAML anchors (&name) are not supported in definitions; write "
              "the value out",
              "t.yaml:2:4: error: YAML aliases (*name) are not supported in definitions; write "
              "the value out"});
  }
  SECTION("merge key") {
    auto parsed = parse("a:\n  <<: {b: 1}\n");
    CHECK_FALSE(parsed.document);
    CHECK(parsed.diagnostics ==
          std::vector<std::string>{"t.yaml:2:3: error: YAML merge keys (<<) are not supported in "
                                   "definitions; write the fields out"});
  }
}

TEST_CASE("Document: a duplicate key is reported where it repeats", "[definition]") {
  auto parsed = parse("a: 1\nb: 2\na: 3\n");
  CHECK_FALSE(parsed.document);
  CHECK(parsed.diagnostics ==
        std::vector<std::string>{"t.yaml:3:1: error: duplicate key 'a' (first at line 1); a key "
                                 "may appear only once in an object"});
}

TEST_CASE("Document: nesting deeper than the limit is refused without crashing",
          "[definition]") {
  std::string deep(600, '[');
  deep += std::string(600, ']');
  auto parsed = parse(deep);
  CHECK_FALSE(parsed.document);
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0] ==
        "t.yaml:1:499: error: the definition nests deeper than 499 levels; flatten it");
  CHECK(parse(std::string(400, '[') + std::string(400, ']')).document);
}

TEST_CASE("Document: syntax errors, empty files, extra documents and huge numbers are "
          "diagnosed",
          "[definition]") {
  CHECK(parse("a: [1, 2\nb: 3\n").diagnostics ==
        std::vector<std::string>{"t.yaml:2:2: error: YAML syntax error: a '[' array is not closed "
                                 "by ']', or a ',' is missing between two of its elements"});
  CHECK(parse("").diagnostics ==
        std::vector<std::string>{"t.yaml:1:1: error: the file is empty; expected a state machine"});
  CHECK(parse("a: 1\n---\nb: 2\n").diagnostics ==
        std::vector<std::string>{"t.yaml:2:1: error: the file holds more than one YAML document; "
                                 "a definition is a single document (remove the '---' separator "
                                 "and what follows)"});
  CHECK(parse("a: 1e999\n").diagnostics ==
        std::vector<std::string>{"t.yaml:1:4: error: the number 1e999 is out of range for a "
                                 "double; write a smaller number, or quote it to make it a "
                                 "string"});
}
