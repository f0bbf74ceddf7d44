// Document's plain-JSON reader gives the Document yaml-cpp gives: the same values and the
// same position for every node and key, and the same diagnostics. Checked on hand-written
// texts and on every JSON definition at hand: the project's, and the conformance corpus and
// bench cases in ../shared when they are there.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/definition/document.hpp"

namespace {

using namespace flowstate::definition;
namespace fs = std::filesystem;
namespace json = boost::json;

std::string where(const SourceLocation& location) { return fmt::format("{}", location); }

// Every node's value, position and key position, in document order.
void describe(const Document& document, const json::value& node, std::vector<std::string>& out) {
  out.push_back(fmt::format("{} @ {} key {}", json::serialize(node), where(document.location_of(node)),
                            where(document.key_location_of(node))));
  if (const auto* object = node.if_object())
    for (const auto& member : *object) describe(document, member.value(), out);
  if (const auto* array = node.if_array())
    for (const auto& element : *array) describe(document, element, out);
}

struct Reading {
  std::vector<std::string> nodes;
  std::vector<std::string> diagnostics;
};

Reading read(std::string_view text, Document::Reader reader) {
  Diagnostics diagnostics;
  Reading reading;
  if (auto document = Document::parse(text, "d.json", diagnostics, reader))
    describe(*document, document->root(), reading.nodes);
  for (const auto& diagnostic : diagnostics.sorted()) reading.diagnostics.push_back(fmt::format("{}", diagnostic));
  return reading;
}

void check_same(std::string_view text) {
  Reading direct = read(text, Document::Reader::automatic);
  Reading yaml = read(text, Document::Reader::yaml);
  CHECK(direct.nodes == yaml.nodes);
  CHECK(direct.diagnostics == yaml.diagnostics);
}

std::vector<fs::path> json_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(root, error)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root, error))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  return files;
}

}  // namespace

TEST_CASE("Document: plain JSON reads as yaml-cpp reads it, positions and diagnostics included",
          "[definition][document]") {
  const char* texts[] = {
      R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})",
      "{\n  \"a\": [1, -2, 3.5, 1e3, -0.25E-2, 0, 1.0],\n  \"b\": {\"c\": null, \"d\": true, \"e\": false},\n"
      "  \"f\": [], \"g\": {}, \"h\": [[], [{}], [[1]]]\n}\n",
      R"({"s": "with \"quotes\", a \\ backslash, \n\b\f\r\t escapes", "empty": ""})",
      R"({"big": 18446744073709551615, "bigger": 18446744073709551616, "huge": 1e999})",
      R"({"dup": 1, "dup": 2})",
      R"(  [ "top", "level" , "array" ]   )",
      "\n\n   {\"late\":\n\n      \"start\"}\n",
      R"j({"k.$": "$.x", "Parameters": {"a.$": "States.Format('{}', $.v)"}})j",
  };
  for (const char* text : texts) {
    INFO(text);
    check_same(text);
  }
}

TEST_CASE("Document: what is not plain JSON still goes through yaml-cpp", "[definition][document]") {
  // Each is read (or refused) exactly as yaml-cpp reads it: the JSON ones by the JSON reader
  // with yaml-cpp's values and marks, the others handed over untouched.
  const char* texts[] = {
      "{\"a\": 1,}",                      // a syntax error
      "{\"a\": \"\\u00e9\\u20ac\\/\"}",      // \u escapes
      "{\"a\":\t1,\t\"b\": [\t2]}",         // tabs
      "{\"a\": 1,\r\n \"b\": 2}\r\n",        // carriage returns
      "{\"a\": 1,\r \"b\": 2}",            // a lone carriage return
      "{\"a\": \"caf\xc3\xa9 \xf0\x9f\x98\x82\", \"b\": x}",  // non-ASCII text
      "StartAt: A\nStates: {}\n",          // YAML
      "{\"a\": 01}",                      // not a JSON number
      "{\"a\": 1} # comment",             // a comment
      "",                                 // empty
  };
  for (const char* text : texts) {
    INFO(text);
    check_same(text);
  }
}

TEST_CASE("Document: every JSON definition at hand reads the same through both readers",
          "[definition][document]") {
  fs::path source = FLOWSTATE_SOURCE_DIR;
  std::vector<fs::path> files = json_files(source / "definitions");
  for (const auto& file : json_files(source / "test" / "definitions")) files.push_back(file);
  std::size_t project = files.size();
  REQUIRE(project >= 4);
  for (const char* shared : {"conformance/cases", "bench-cases"})
    for (const auto& file : json_files(source.parent_path() / "shared" / shared)) files.push_back(file);
  if (files.size() == project) WARN("../shared is not there: only the project's own JSON files were compared");
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(file.string());
    check_same(text.str());
  }
}

TEST_CASE("Document: a surrogate-pair escape in JSON is one character, a lone one is refused clearly",
          "[definition][document]") {
  // Python's json.dumps writes every non-ASCII character as \uXXXX, those beyond U+FFFF as a
  // UTF-16 pair; yaml-cpp refused the pair ("invalid unicode: 55357").
  Diagnostics diagnostics;
  auto document = Document::parse("{\"Comment\": \"\\ud83d\\ude02 \\uD83D\\uDE02\",\n \"Next\": 1}", "d.json",
                                  diagnostics);
  REQUIRE(document);
  CHECK(diagnostics.empty());
  CHECK(document->root().at("Comment") == "\xf0\x9f\x98\x82 \xf0\x9f\x98\x82");
  CHECK(where(document->key_location_of(document->root().at("Next"))) == "d.json:2:2");

  const char* lone[][2] = {
      {"{\"a\": \"x\\ud83d\"}", "d.json:1:9: error: \\ud83d is half of a UTF-16 surrogate pair, and its other "
                              "half does not follow it (a high one, \\ud800-\\udbff, comes first, then a low one, "
                              "\\udc00-\\udfff); write the pair, or the character itself"},
      {"{\"a\": \"\\ude02\\ud83d\"}", "d.json:1:8: error: \\ude02 is half of a UTF-16 surrogate pair, and its "
                                   "other half does not follow it (a high one, \\ud800-\\udbff, comes first, then a "
                                   "low one, \\udc00-\\udfff); write the pair, or the character itself"},
      {"{\"a\": \"\\ud83d\\u0041\"}", "d.json:1:8: error: \\ud83d is half of a UTF-16 surrogate pair, and its "
                                   "other half does not follow it (a high one, \\ud800-\\udbff, comes first, then a "
                                   "low one, \\udc00-\\udfff); write the pair, or the character itself"},
      {"a: \"\\ud83d\\ude02\"\n", "d.json:1:11: error: YAML syntax error: \\ud83d is half of a UTF-16 surrogate "
                                "pair, which a YAML string cannot hold; write the character itself (or "
                                "\\UXXXXXXXX with its code point)"},
  };
  for (const auto& [text, expected] : lone) {
    INFO(text);
    Reading reading = read(text, Document::Reader::automatic);
    CHECK(reading.nodes.empty());
    CHECK(reading.diagnostics == std::vector<std::string>{expected});
  }
}

TEST_CASE("Document: json_problem says where a text stops being JSON as AWS reads it, and why",
          "[definition][document]") {
  const char* cases[][2] = {
      {"{\"a\": [1, 2,],\n \"b\": 1}", "d.json:1:12: error: a comma before ']' (a trailing comma); JSON allows none"},
      {"{\"a\": 1,\n}", "d.json:1:8: error: a comma before '}' (a trailing comma); JSON allows none"},
      {"{\n  // a note\n  \"a\": 1}", "d.json:2:3: error: a comment; JSON has no comments"},
      {"{\"a\": 1 /* x */}", "d.json:1:9: error: a comment; JSON has no comments"},
      {"{\"a\": 1} # x", "d.json:1:10: error: a comment; JSON has no comments"},
      {"{'a': 1}", "d.json:1:2: error: a single-quoted string; JSON strings are in double quotes"},
      {"{\"a\": 'x'}", "d.json:1:7: error: a single-quoted string; JSON strings are in double quotes"},
      {"{a: 1}", "d.json:1:2: error: 'a' where JSON expects a key in double quotes"},
      {"{\"a\": True}", "d.json:1:7: error: 'True' is not a JSON value (a number, true, false, null, or a string "
                        "in double quotes)"},
      {"{\"a\": \"tab\there\"}", "d.json:1:11: error: a control character in a string; JSON writes it as an "
                               "escape (\\n, \\t, \\u0001)"},
      {"{\"a\": 1", "d.json:1:8: error: the text ends where JSON expects ',' or '}'"},
      {"StartAt: A", "d.json:1:1: error: 'StartAt' is not a JSON value (a number, true, false, null, or a string in "
                     "double quotes)"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    auto problem = Document::json_problem(text, "d.json");
    REQUIRE(problem);
    CHECK(to_string(*problem) == expected);
  }
  CHECK_FALSE(Document::json_problem("{\"a\": [1, {\"b\": \"\\ud83d\\ude02\"}],\r\n\t\"c\": null}", "d.json"));
}
