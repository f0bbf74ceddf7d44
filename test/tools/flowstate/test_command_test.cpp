// End-to-end tests of `flowstate test`: real test files and definitions in a temporary
// folder, the real binary; stdout, the exit code and the reports are checked as CI sees them.
// (The JUnit report's schema and consumer check is test/junit/junit_report_test.py.)
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

const char* const kOrder = R"(StartAt: Price
States:
  Price:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:123456789012:function:price
    ResultPath: $.price
    Retry:
      - ErrorEquals: [Lambda.TooManyRequestsException]
        MaxAttempts: 2
    Next: Check
  Check:
    Type: Choice
    Choices:
      - Variable: $.price.amount
        NumericGreaterThan: 100
        Next: Approve
    Default: Done
  Approve:
    Type: Wait
    Seconds: 3600
    Next: Done
  Done:
    Type: Pass
    Parameters:
      total.$: $.price.amount
      items.$: $.items
    End: true
)";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("flowstate test: passing cases print PASS lines and exit 0, with mocks, waits skipped, the "
          "states entered, a state's input and output, and assertions on parts of the output",
          "[cli][test]") {
  TempDir dir;
  dir.write("order.yaml", kOrder);
  dir.write("mocks.json", R"({"StateMachines": {"order": {"TestCases": {"Big": {"Price": "BigPrice"}}}},
    "MockedResponses": {"BigPrice": {"0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow"}},
                                     "1": {"Return": {"amount": 500}}}}})");
  auto file = dir.write("order.test.yaml", R"(definition: order.yaml
mockConfig: mocks.json
cases:
  - name: small order
    input: {items: [a, b]}
    mocks:
      Price: {Return: {amount: 20}}
    expect:
      output: {total: 20, items: [a, b]}
      states: [Price, Check, Done]
      stateInput: {Done: {items: [a, b], price: {amount: 20}}}
      stateOutput: {Check: {items: [a, b], price: {amount: 20}}}
  - name: big order waits for approval (a retried price, from the mock file)
    input: {items: [x]}
    testCase: Big
    expect:
      status: succeeded
      states: [Price, Check, Approve, Done]
      assert:
        - path: $.total
          equals: 500
        - jsonata: "$count(items) = 1 and total > 100"
        - jsonata: "items[0]"
          equals: x
  - name: the price service is down
    mocks:
      Price: {Throw: {Error: Lambda.ServiceException, Cause: down}}
    expect:
      error: Lambda.ServiceException
      cause: down
)").string();
  auto run = run_flowstate({"test", file});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "PASS  " + file + ": small order ("));
  CHECK(contains(run.out, "PASS  " + file + ": big order waits for approval (a retried price, from the mock file) ("));
  CHECK(contains(run.out, "PASS  " + file + ": the price service is down ("));
  CHECK(contains(run.out, "3 test cases: 3 passed, 0 failed\n"));
}

TEST_CASE("flowstate test: a failed expectation prints FAIL with the case's line and what differs, "
          "exits 1, and under GitHub Actions an annotation points at the line",
          "[cli][test]") {
  TempDir dir;
  dir.write("order.yaml", kOrder);
  auto file = dir.write("order.test.yaml", R"(definition: order.yaml
cases:
  - name: passes
    mocks: {Price: {Return: {amount: 1}}}
    input: {items: []}
    expect: {output: {total: 1, items: []}}
  - name: wrong total
    mocks: {Price: {Return: {amount: 2}}}
    input: {items: [a]}
    expect:
      output: {total: 3, items: [a], extra: true}
      states: [Price, Done]
      assert:
        - jsonata: "total > 5"
  - name: expects a failure that does not come
    mocks: {Price: {Return: {amount: 2}}}
    input: {items: []}
    expect: {error: States.TaskFailed}
)").string();
  auto run = run_flowstate({"test", file, "-j", "1"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK(contains(run.out, "PASS  " + file + ": passes"));
  CHECK(contains(run.out, "FAIL  " + file + ":7: wrong total ("));
  CHECK(contains(run.out, "      output differs:\n        $.total: expected 3, got 2\n"
                          "        $.extra: missing (expected true)\n"));
  CHECK(contains(run.out, "      states entered: expected [Price, Done], got [Price, Check, Done]\n"));
  CHECK(contains(run.out, "      assert total > 5 (line 14): expected true, got false\n"));
  CHECK(contains(run.out, "FAIL  " + file + ":15: expects a failure that does not come ("));
  CHECK(contains(run.out, "      status: expected FAILED, got SUCCEEDED\n"));
  CHECK(contains(run.out, "      error: expected 'States.TaskFailed', got none\n"));
  CHECK(contains(run.out, "3 test cases: 1 passed, 2 failed\n"));
  // Printed in the file's order whatever order the cases end in.
  CHECK(run.out.find("passes") < run.out.find("wrong total"));

  test::FlowstateProcess actions({"GITHUB_ACTIONS=true", FLOWSTATE_BINARY, "test", file}, "", "/usr/bin/env");
  auto annotated = actions.finish();
  CHECK(annotated.exit_code == 1);
  CHECK(contains(annotated.out, "::error file=" + file + ",line=7,title=flowstate test%3A wrong total::output "
                                "differs:%0A  $.total: expected 3, got 2%0A"));
  CHECK(contains(annotated.out, "::error file=" + file + ",line=15,"));
  CHECK_FALSE(contains(run.out, "::error"));
}

TEST_CASE("flowstate test: a wrong test file exits 2 naming the line and what is right, and the "
          "other files still run",
          "[cli][test]") {
  TempDir dir;
  dir.write("order.yaml", kOrder);
  dir.write("good.test.yaml", R"(definition: order.yaml
cases:
  - name: fine
    mocks: {Price: {Return: {amount: 1}}}
    input: {items: []}
)");
  auto bad = dir.write("bad.test.yaml", R"(definition: order.yaml
cases:
  - name: typo
    expcet: {output: 1}
  - name: unknown mock test case
    testCase: Nope
)").string();
  dir.write("missing.test.yaml", "definition: nowhere.yaml\ncases: [{name: a}]\n");
  dir.write("notes.yaml", "not a test file: it does not end in .test.yaml\n");
  auto run = run_flowstate({"test", dir.path().string()});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, bad + ":4:5: error: unknown field 'expcet' in a test case; the fields are name, input, "
                                "testCase, mocks, expect"));
  CHECK(contains(run.err, bad + ":6:15: error: test case 'unknown mock test case' names the mock test case 'Nope', "
                                "but the file has no 'mockConfig'"));
  CHECK(contains(run.err, "nowhere.yaml"));
  CHECK(contains(run.out, "PASS  " + (dir.path() / "good.test.yaml").string() + ": fine"));
  CHECK(contains(run.out, "1 test cases: 1 passed, 0 failed (2 test files are wrong)"));

  auto none = run_flowstate({"test", (dir.path() / "nothing-here").string()});
  CHECK(none.exit_code == 2);
  CHECK(contains(none.err, "nothing-here: error: no such test file or folder"));
}

TEST_CASE("flowstate test: a test file fills the definition's ${Name} placeholders from its "
          "substitutions, and an unfilled one makes the file wrong",
          "[cli][test]") {
  TempDir dir;
  dir.write("greet.yaml", R"(StartAt: Greet
States:
  Greet: {Type: Pass, Result: "${Greeting}, ${!Literal}", End: true}
)");
  auto file = dir.write("greet.test.yaml", R"(definition: greet.yaml
substitutions: {Greeting: Hello}
cases:
  - name: filled
    expect: {output: "Hello, ${Literal}"}
)").string();
  auto run = run_flowstate({"test", file});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "1 test cases: 1 passed, 0 failed"));

  auto unfilled = dir.write("unfilled.test.yaml", "definition: greet.yaml\ncases: [{name: plain}]\n").string();
  auto refused = run_flowstate({"test", unfilled});
  CHECK(refused.exit_code == 2);
  CHECK(contains(refused.err, "the placeholder ${Greeting} has no value"));
}

TEST_CASE("flowstate test --coverage: every state, Choice rule, Default, Catcher and Retrier with its "
          "line, reached or not, and --min-coverage fails the run below it",
          "[cli][test]") {
  TempDir dir;
  dir.write("order.yaml", kOrder);
  auto file = dir.write("order.test.yaml", R"(definition: order.yaml
cases:
  - name: small order
    mocks: {Price: {Return: {amount: 20}}}
    input: {items: []}
)").string();
  auto run = test::run_flowstate_in(dir.path().string(), {"test", file, "--coverage"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "coverage of order.yaml: 4 of 7 (57%)\n"
                          "  + 3:3      state Price\n"
                          "  - 8:9      Retry[0] of Price\n"
                          "  + 11:3     state Check\n"
                          "  - 14:9     Choices[0] of Check\n"
                          "  + 17:5     Default of Check\n"
                          "  - 18:3     state Approve\n"
                          "  + 22:3     state Done\n"));
  CHECK(contains(run.out, "coverage: 4 of 7 (57.1%)"));

  // A retried, expensive order reaches the rest.
  dir.write("more.test.yaml", R"(definition: order.yaml
cases:
  - name: busy then expensive
    mocks:
      Price:
        "0": {Throw: {Error: Lambda.TooManyRequestsException, Cause: busy}}
        "1": {Return: {amount: 500}}
    input: {items: []}
)");
  auto both = test::run_flowstate_in(dir.path().string(), {"test", ".", "--min-coverage", "100"});
  CHECK(both.exit_code == 0);
  CHECK(contains(both.out, "coverage: 7 of 7 (100.0%)"));

  auto below = test::run_flowstate_in(dir.path().string(), {"test", file, "--min-coverage", "60"});
  CHECK(below.exit_code == 1);
  CHECK(contains(below.out, "flowstate: coverage 57.1% is below --min-coverage 60"));
}

TEST_CASE("flowstate test: cases run at once on one host (-j), command tasks in the test file's "
          "folder, nested machines included",
          "[cli][test][nested]") {
  TempDir dir;
  // Each command leaves a marker and waits (up to 30 s) until four are there: run one after
  // another, the first would see only its own.
  dir.write("child.yaml", R"(StartAt: Work
States:
  Work:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters:
      Command: [sh, -c, 'touch started-$$; i=0; while [ $(ls started-* | wc -l) -lt 4 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; echo "{\"seen\": $(ls started-* | wc -l)}"']
    End: true
)");
  dir.write("parent.yaml", R"(StartAt: Child
States:
  Child:
    Type: Task
    Resource: arn:aws:states:::states:startExecution.sync:2
    Parameters: {StateMachineArn: child.yaml}
    OutputPath: $.Output
    End: true
)");
  std::string cases = "definition: parent.yaml\ncases:\n";
  for (int i = 0; i < 4; ++i) cases += "  - name: case " + std::to_string(i) + "\n    expect: {output: {seen: 4}}\n";
  auto file = dir.write("parent.test.yaml", cases).string();
  auto run = test::run_flowstate_in("/", {"test", file, "-j", "4"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "4 test cases: 4 passed, 0 failed"));
}

TEST_CASE("flowstate test: the test files of the examples in definitions/ pass (on a copy, since the "
          "three layers' commands write work/)",
          "[cli][test][definitions]") {
  TempDir dir;
  std::filesystem::copy(std::string(FLOWSTATE_SOURCE_DIR) + "/definitions", dir.path() / "definitions",
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(dir.path() / "definitions" / "three-layers" / "work");
  auto run = test::run_flowstate_in(dir.path().string(), {"test", "definitions", "--coverage"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "10 test cases: 10 passed, 0 failed\n"));
  CHECK(contains(run.out, "coverage of definitions/three-layers/executor.yaml: 6 of 6 (100%)"));
}

}  // namespace
}  // namespace flowstate::cli
