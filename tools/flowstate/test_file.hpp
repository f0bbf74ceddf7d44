// TestFile: a `flowstate test` file (YAML or JSON, e.g. `job.test.yaml`) — the definition it
// tests, an optional mock configuration file, and its cases: an input, mocks, and what the
// execution must show (status, output or parts of it, error and cause, the states entered,
// a state's input or output). Parsed whole before anything runs; every mistake is reported
// with the test file's line:column.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/data/json_path.hpp"
#include "engine/definition/definition_substitutions.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/source_location.hpp"
#include "engine/jsonata/expression.hpp"
#include "engine/runtime/execution.hpp"

namespace flowstate::cli {

/// One check on part of the output: a JSONPath whose value must equal `equals`, or a JSONata
/// expression that must equal `equals` (or, without it, be true).
struct OutputAssertion {
  std::variant<data::JsonPath, jsonata::Expression> query;
  std::optional<boost::json::value> equals;
  definition::SourceLocation where;
};

/// A state's input or output when it was first entered or left.
struct StateValue {
  std::string state;
  boost::json::value value;
  definition::SourceLocation where;
};

struct TestCase {
  std::string name;
  definition::SourceLocation where;  ///< the case's `name`, for reports and annotations
  boost::json::value input = boost::json::object();
  std::string test_case;  ///< a test case of the file's mock configuration
  /// Inline mocks: Task state name → a response in the MockConfigFile format
  /// ({"0": {"Return": ...}}), or {"Return": ...} / {"Throw": ...} for every invocation.
  boost::json::object mocks;

  runtime::ExecutionStatus status = runtime::ExecutionStatus::succeeded;
  std::optional<boost::json::value> output;
  std::vector<OutputAssertion> assertions;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<std::vector<std::string>> states;  ///< every state entered, in order
  std::vector<StateValue> state_inputs;
  std::vector<StateValue> state_outputs;
};

struct TestFile {
  std::filesystem::path path;
  std::filesystem::path definition;   ///< resolved against the test file's folder
  std::filesystem::path mock_config;  ///< empty when the file names none
  /// The values of the definition's ${Name} placeholders (`substitutions`, as --substitute
  /// gives them to `run`); nullopt when the file has none.
  std::optional<definition::Substitutions> substitutions;
  std::vector<TestCase> cases;
};

/// Reads and checks a test file; nullopt with every problem in `diagnostics`.
std::optional<TestFile> load_test_file(const std::filesystem::path& path,
                                       definition::Diagnostics& diagnostics);

/// The test files under `paths`: a file is taken as it is, a folder is searched (hidden
/// folders skipped) for *.test.yaml, *.test.yml and *.test.json, in path order.
std::vector<std::filesystem::path> find_test_files(const std::vector<std::string>& paths,
                                                   definition::Diagnostics& diagnostics);

}  // namespace flowstate::cli
