// MockConfig: a mock configuration file in AWS Step Functions Local's format
// (MockConfigFile.json): per state machine, test cases that map Task states to mocked
// responses; a mocked response gives, by invocation number, a result to return or an error
// to throw. TaskMocks applies one test case to one execution.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"

namespace flowstate::tasks {

/// What one invocation of a mocked Task does: return `result`, or fail with `failure`.
struct MockedOutcome {
  std::optional<boost::json::value> result;  ///< "Return"
  asl::Failure failure;                      ///< "Throw" {"Error", "Cause"}, when no result
};

/// One entry of "MockedResponses": outcomes for invocation numbers ("0", "1-3", ...).
struct MockedResponse {
  struct Range {
    std::size_t first = 0;
    std::size_t last = 0;
    MockedOutcome outcome;
  };
  std::string name;
  std::vector<Range> ranges;  ///< sorted, not overlapping

  /// The outcome for the `invocation`-th call (from 0), or null past the ranges.
  const MockedOutcome* at(std::size_t invocation) const;
  /// "0-3" or "0, 2-4": the invocation numbers it covers, for messages.
  std::string covered() const;
};

/// A test case: Task state name → its mocked response.
using MockedStates = std::map<std::string, std::shared_ptr<const MockedResponse>, std::less<>>;

class MockConfig {
 public:
  /// Parses and checks the file's JSON text; the error names the field, e.g.
  /// "MockedResponses.LambdaOk.\"1-x\": ...".
  static boost::system::result<MockConfig, std::string> parse(std::string_view text);
  /// Reads and parses a file; the error starts with the file's path.
  static boost::system::result<MockConfig, std::string> load(const std::string& path);

  /// The test case `name` of state machine `machine`, or null when the file has none.
  const MockedStates* test_case(std::string_view machine, std::string_view name) const;
  /// "HappyPath, RetryPath" for messages ("" when the machine has none).
  std::string test_case_names(std::string_view machine) const;
  /// "A, B": the state machines the file names, for messages.
  std::string machine_names() const;

 private:
  std::map<std::string, std::map<std::string, MockedStates, std::less<>>, std::less<>> machines_;
};

/// The mocks of one execution: which of its Task states are mocked, and how often each has
/// been invoked so far (retries, loops and Map iterations count, in the order they run).
class TaskMocks {
 public:
  explicit TaskMocks(const MockedStates& states) : states_(states) {}

  bool mocks(std::string_view state) const { return states_.find(state) != states_.end(); }
  /// The outcome of `state`'s next invocation (counted), or nullopt when the state is not
  /// mocked. Past the response's last invocation: States.TaskFailed saying so.
  std::optional<MockedOutcome> next(std::string_view state);

 private:
  const MockedStates& states_;
  std::map<std::string, std::size_t, std::less<>> invocations_;
};

}  // namespace flowstate::tasks
