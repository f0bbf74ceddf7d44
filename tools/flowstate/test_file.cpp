#include "tools/flowstate/test_file.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "engine/definition/document.hpp"
#include "engine/durable/execution_record.hpp"

namespace flowstate::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Reads the members of one object of the test file, refusing those it does not know.
class Reader {
 public:
  Reader(const definition::Document& document, definition::Diagnostics& diagnostics)
      : document_(document), diagnostics_(diagnostics) {}

  definition::SourceLocation at(const json::value& node) const { return document_.location_of(node); }

  void error(const json::value& node, std::string message) { diagnostics_.add(at(node), std::move(message)); }

  // The object at `node`, its members checked against `known`; null after an error.
  const json::object* object(const json::value& node, std::string_view what,
                             std::initializer_list<std::string_view> known) {
    const json::object* object = node.if_object();
    if (!object) {
      error(node, fmt::format("{} must be a mapping", what));
      return nullptr;
    }
    for (const auto& member : *object) {
      if (std::find(known.begin(), known.end(), member.key()) != known.end()) continue;
      std::string names;
      for (std::string_view name : known) names += fmt::format("{}{}", names.empty() ? "" : ", ", name);
      diagnostics_.add(document_.key_location_of(member.value()),
                       fmt::format("unknown field '{}' in {}; the fields are {}", std::string_view(member.key()),
                                   what, names));
    }
    return object;
  }

  std::optional<std::string> string(const json::object& object, std::string_view key, std::string_view what) {
    const json::value* value = object.if_contains(key);
    if (!value) return std::nullopt;
    if (!value->is_string() || value->get_string().empty()) {
      error(*value, fmt::format("'{}' of {} must be a non-empty string", key, what));
      return std::nullopt;
    }
    return std::string(value->get_string());
  }

 private:
  const definition::Document& document_;
  definition::Diagnostics& diagnostics_;
};

std::optional<OutputAssertion> read_assertion(Reader& reader, const json::value& node) {
  const json::object* object = reader.object(node, "an assertion", {"path", "jsonata", "equals"});
  if (!object) return std::nullopt;
  OutputAssertion assertion{*data::JsonPath::compile("$"), std::nullopt, reader.at(node)};
  if (const json::value* equals = object->if_contains("equals")) assertion.equals = *equals;
  auto path = reader.string(*object, "path", "an assertion");
  auto expression = reader.string(*object, "jsonata", "an assertion");
  if (path.has_value() == expression.has_value()) {
    reader.error(node, "an assertion has either 'path' (a JSONPath into the output, with 'equals') or "
                       "'jsonata' (an expression over the output, true or equal to 'equals')");
    return std::nullopt;
  }
  if (path) {
    auto compiled = data::JsonPath::compile(*path);
    if (!compiled || compiled->root() != data::JsonPath::Root::input) {
      reader.error(object->at("path"), fmt::format("'{}' is not a JSONPath into the output{}", *path,
                                                   compiled ? "" : ": " + compiled.error()));
      return std::nullopt;
    }
    if (!assertion.equals) {
      reader.error(node, fmt::format("the assertion on '{}' needs 'equals'", *path));
      return std::nullopt;
    }
    assertion.query = std::move(*compiled);
  } else {
    auto compiled = jsonata::Expression::compile(*expression);
    if (!compiled) {
      reader.error(object->at("jsonata"), fmt::format("'{}' is not a JSONata expression: {} {}", *expression,
                                                      compiled.error().code, compiled.error().message));
      return std::nullopt;
    }
    assertion.query = std::move(*compiled);
  }
  return assertion;
}

void read_state_values(Reader& reader, const json::object& expect, std::string_view key,
                       std::vector<StateValue>& out) {
  const json::value* node = expect.if_contains(key);
  if (!node) return;
  const json::object* states = node->if_object();
  if (!states) {
    reader.error(*node, fmt::format("'{}' must map state names to their expected values", key));
    return;
  }
  for (const auto& [state, value] : *states) out.push_back({std::string(state), value, reader.at(value)});
}

void read_expectations(Reader& reader, const json::value& node, TestCase& test) {
  const json::object* expect = reader.object(
      node, "'expect'", {"status", "output", "assert", "error", "cause", "states", "stateInput", "stateOutput"});
  if (!expect) return;
  if (const json::value* output = expect->if_contains("output")) test.output = *output;
  test.error = reader.string(*expect, "error", "'expect'");
  test.cause = reader.string(*expect, "cause", "'expect'");
  if (test.error || test.cause) test.status = runtime::ExecutionStatus::failed;
  if (auto status = reader.string(*expect, "status", "'expect'")) {
    std::string upper = *status;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    auto parsed = durable::parse_status(upper);
    if (!parsed || *parsed == runtime::ExecutionStatus::running)
      reader.error(expect->at("status"), fmt::format("unknown status '{}'; expected SUCCEEDED, FAILED, TIMED_OUT "
                                                     "or ABORTED",
                                                     *status));
    else
      test.status = *parsed;
  }
  if (const json::value* assertions = expect->if_contains("assert")) {
    if (!assertions->is_array()) {
      reader.error(*assertions, "'assert' must be a list of assertions");
    } else {
      for (const json::value& item : assertions->get_array())
        if (auto assertion = read_assertion(reader, item)) test.assertions.push_back(std::move(*assertion));
    }
  }
  if (const json::value* states = expect->if_contains("states")) {
    const json::array* names = states->if_array();
    bool ok = names != nullptr;
    if (names) {
      test.states.emplace();
      for (const json::value& name : *names) {
        if (!name.is_string()) ok = false;
        else test.states->emplace_back(name.get_string());
      }
    }
    if (!ok) reader.error(*states, "'states' must be the list of state names entered, in order");
  }
  read_state_values(reader, *expect, "stateInput", test.state_inputs);
  read_state_values(reader, *expect, "stateOutput", test.state_outputs);
}

std::optional<TestCase> read_case(Reader& reader, const json::value& node, std::set<std::string>& names) {
  const json::object* object = reader.object(node, "a test case", {"name", "input", "testCase", "mocks", "expect"});
  if (!object) return std::nullopt;
  TestCase test;
  auto name = reader.string(*object, "name", "a test case");
  if (!name) {
    if (!object->contains("name")) reader.error(node, "a test case needs a 'name'");
    return std::nullopt;
  }
  test.name = *name;
  test.where = reader.at(object->at("name"));
  if (!names.insert(test.name).second) {
    reader.error(object->at("name"), fmt::format("a second test case named '{}'", test.name));
    return std::nullopt;
  }
  if (const json::value* input = object->if_contains("input")) test.input = *input;
  test.test_case = reader.string(*object, "testCase", "a test case").value_or("");
  if (const json::value* mocks = object->if_contains("mocks")) {
    if (!mocks->is_object()) reader.error(*mocks, "'mocks' must map Task state names to mocked responses");
    else test.mocks = mocks->get_object();
  }
  if (const json::value* expect = object->if_contains("expect")) read_expectations(reader, *expect, test);
  return test;
}

bool is_test_file(const fs::path& path) {
  std::string name = path.filename().string();
  return name.ends_with(".test.yaml") || name.ends_with(".test.yml") || name.ends_with(".test.json");
}

}  // namespace

std::optional<TestFile> load_test_file(const fs::path& path, definition::Diagnostics& diagnostics) {
  std::size_t before = diagnostics.size();
  auto document = definition::Document::load_file(path, diagnostics);
  if (!document) return std::nullopt;
  Reader reader(*document, diagnostics);
  const json::object* root = reader.object(document->root(), "a test file", {"definition", "mockConfig", "substitutions", "cases"});
  if (!root) return std::nullopt;
  TestFile file;
  file.path = path;
  fs::path folder = path.parent_path();
  if (auto definition = reader.string(*root, "definition", "a test file"))
    file.definition = (folder / *definition).lexically_normal();
  else if (!root->contains("definition"))
    reader.error(document->root(), "a test file names its 'definition' (a path relative to the test file)");
  if (auto mocks = reader.string(*root, "mockConfig", "a test file")) file.mock_config = (folder / *mocks).lexically_normal();
  if (const json::value* values = root->if_contains("substitutions")) {
    const json::object* object = values->if_object();
    if (!object) reader.error(*values, "'substitutions' must map placeholder names to their values");
    file.substitutions.emplace();
    for (const auto& [name, value] : object ? *object : json::object()) {
      if (value.is_string()) file.substitutions->emplace(std::string(name), std::string(value.get_string()));
      else reader.error(value, fmt::format("the value of substitution '{}' must be a string", std::string_view(name)));
    }
  }
  const json::value* cases = root->if_contains("cases");
  if (!cases || !cases->is_array() || cases->get_array().empty()) {
    reader.error(cases ? *cases : document->root(), "a test file has 'cases': a non-empty list of test cases");
    return std::nullopt;
  }
  std::set<std::string> names;
  for (const json::value& node : cases->get_array()) {
    auto test = read_case(reader, node, names);
    if (!test) continue;
    if (!test->test_case.empty() && file.mock_config.empty())
      reader.error(node.as_object().at("testCase"),
                   fmt::format("test case '{}' names the mock test case '{}', but the file has no 'mockConfig'",
                               test->name, test->test_case));
    file.cases.push_back(std::move(*test));
  }
  if (diagnostics.size() != before) return std::nullopt;
  return file;
}

std::vector<fs::path> find_test_files(const std::vector<std::string>& paths, definition::Diagnostics& diagnostics) {
  std::vector<fs::path> found;
  for (const std::string& given : paths) {
    fs::path path(given);
    std::error_code error;
    if (fs::is_regular_file(path, error)) {
      found.push_back(path.lexically_normal());
      continue;
    }
    if (!fs::is_directory(path, error)) {
      diagnostics.add({given, 0, 0}, "no such test file or folder");
      continue;
    }
    std::vector<fs::path> in_folder;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      std::string name = it->path().filename().string();
      if (it->is_directory(error) && name.starts_with('.')) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && is_test_file(it->path())) in_folder.push_back(it->path().lexically_normal());
    }
    std::sort(in_folder.begin(), in_folder.end());
    found.insert(found.end(), in_folder.begin(), in_folder.end());
  }
  return found;
}

}  // namespace flowstate::cli
