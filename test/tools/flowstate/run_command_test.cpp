// End-to-end tests of `flowstate run`: the real binary, real files and real child processes;
// stdout, stderr and the exit code are checked as a user or CI script sees them.
#include <signal.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/process_exists.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/run_result_json.hpp"
#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace json = boost::json;
using test::run_flowstate;
using test::TempDir;

const char* const kHello = "StartAt: P\nStates:\n  P: {Type: Pass, Parameters: {a.$: $.a, b: [1, 2.0]}, End: true}\n";
const char* const kFailing = "StartAt: F\nStates:\n  F: {Type: Fail, Error: Boom, Cause: it broke}\n";

json::object parse_object(const std::string& text) {
  auto parsed = data::parse_json(text);
  INFO(text);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->is_object());
  return parsed->as_object();
}

using test::process_exists;

TEST_CASE("flowstate run: a succeeded execution prints its output and exits 0", "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  auto text = run_flowstate({"run", file, "--input", R"({"a":"x"})", "-q"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    2.0\n  ]\n}\n");
  CHECK(text.err.empty());

  auto as_json = run_flowstate({"run", file, "--input", R"({"a":"x"})", "--format", "json", "-q"});
  CHECK(as_json.exit_code == 0);
  CHECK(test::without_execution_names(as_json.out) == R"({"status":"SUCCEEDED","output":{"a":"x","b":[1,2.0]}})" "\n");
}

TEST_CASE("flowstate run: --format aws prints DescribeExecution with the output as a string",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  auto run = run_flowstate({"run", file, "--input", R"({"a":1})", "--name", "n1", "--format",
                            "aws", "-q"});
  CHECK(run.exit_code == 0);
  json::object described = parse_object(run.out);
  CHECK(described.at("executionArn").as_string() ==
        "arn:aws:states:us-east-1:123456789012:execution:hello:n1");
  CHECK(described.at("stateMachineArn").as_string() ==
        "arn:aws:states:us-east-1:123456789012:stateMachine:hello");
  CHECK(described.at("name").as_string() == "n1");
  CHECK(described.at("status").as_string() == "SUCCEEDED");
  CHECK(described.at("output").as_string() == R"({"a":1,"b":[1,2.0]})");
  CHECK(described.at("input").as_string() == R"({"a":1})");
  CHECK(described.at("redriveCount").as_int64() == 0);
  CHECK_FALSE(described.contains("error"));
  CHECK_FALSE(described.contains("cause"));
}

TEST_CASE("flowstate run: a failed execution exits 1 and names its error and cause",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("failing.yaml", kFailing).string();
  auto text = run_flowstate({"run", file, "--no-store", "--progress", "none"});
  CHECK(text.exit_code == 1);
  CHECK(text.out.empty());
  CHECK(text.err == "flowstate: FAILED: Boom: it broke\n");

  auto aws = run_flowstate({"run", file, "--format", "aws", "-q"});
  CHECK(aws.exit_code == 1);
  json::object described = parse_object(aws.out);
  CHECK(described.at("status").as_string() == "FAILED");
  CHECK(described.at("error").as_string() == "Boom");
  CHECK(described.at("cause").as_string() == "it broke");
  CHECK_FALSE(described.contains("output"));

  auto as_json = run_flowstate({"run", file, "--format", "json", "-q"});
  CHECK(test::without_execution_names(as_json.out) == R"({"status":"FAILED","error":"Boom","cause":"it broke"})" "\n");
}

TEST_CASE("flowstate run: a timed-out execution exits 1 and AWS's shape has no error or cause",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("slow.yaml", "TimeoutSeconds: 1\nStartAt: W\nStates:\n"
                                     "  W: {Type: Wait, Seconds: 30, End: true}\n")
                  .string();
  auto started = std::chrono::steady_clock::now();
  auto run = run_flowstate({"run", file, "--format", "aws", "-q"});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(run.exit_code == 1);
  json::object described = parse_object(run.out);
  CHECK(described.at("status").as_string() == "TIMED_OUT");
  CHECK_FALSE(described.contains("error"));
  CHECK_FALSE(described.contains("cause"));
  CHECK_FALSE(described.contains("output"));
}

TEST_CASE("flowstate run: --skip-waits does not sleep in Wait states", "[cli][run]") {
  TempDir dir;
  auto file = dir.write("wait.yaml", "StartAt: W\nStates:\n  W: {Type: Wait, Seconds: 3600, End: true}\n")
                  .string();
  auto started = std::chrono::steady_clock::now();
  auto run = run_flowstate({"run", file, "--skip-waits", "--input", "[1]", "-q"});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(run.exit_code == 0);
  CHECK(run.out == "[\n  1\n]\n");
}

TEST_CASE("flowstate run: input that is not JSON exits 2 with its position", "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  auto run = run_flowstate({"run", file, "--input", "{x}"});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err == "flowstate: --input:1:2: error: the input is not valid JSON: syntax error\n");

  auto input = dir.write("input.json", "{\n  \"a\": 1\n} trailing").string();
  auto from_file = run_flowstate({"run", file, "--input-file", input});
  CHECK(from_file.exit_code == 2);
  CHECK(from_file.err == "flowstate: " + input +
                             ":3:3: error: the input is not valid JSON: unexpected text after "
                             "the JSON value\n");

  auto overflow = run_flowstate({"run", file, "--input", "[-285e411]"});
  CHECK(overflow.exit_code == 2);
  CHECK(overflow.err ==
        "flowstate: --input:1:10: error: the input is not valid JSON: number out of range for a "
        "double\n");
}

TEST_CASE("flowstate run: a missing input file or definition exits 2 with one line",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  auto missing_input = (dir / "nope.json").string();
  auto run = run_flowstate({"run", file, "--input-file", missing_input});
  CHECK(run.exit_code == 2);
  CHECK(run.err == "flowstate: cannot read the input file '" + missing_input +
                       "': No such file or directory\n");

  auto missing_definition = (dir / "nope.yaml").string();
  auto no_definition = run_flowstate({"run", missing_definition});
  CHECK(no_definition.exit_code == 2);
  CHECK(no_definition.out.empty());
  CHECK(std::count(no_definition.err.begin(), no_definition.err.end(), '\n') == 1);
  CHECK_THAT(no_definition.err, Catch::Matchers::Contains(missing_definition));
}

TEST_CASE("flowstate run: an invalid definition exits 2 with file:line:col diagnostics",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("bad.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n")
                  .string();
  auto run = run_flowstate({"run", file});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  std::regex line(std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                  R"(:5:\d+: error: .*Nowhere.*\n)");
  CHECK(std::regex_match(run.err, line));
}

TEST_CASE("flowstate run: a Task resource nothing serves exits 2 before anything runs",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("lambda.yaml", "StartAt: T\nStates:\n  T:\n    Type: Task\n"
                                       "    Resource: arn:aws:lambda:us-east-1:1:function:f\n"
                                       "    End: true\n")
                  .string();
  auto run = run_flowstate({"run", file});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Matchers::StartsWith(file + ":5:"));
  CHECK_THAT(run.err, Catch::Matchers::EndsWith(
                          ": error: no task resource serves 'arn:aws:lambda:us-east-1:1:function:f' "
                          "(state 'T'); flowstate serves 'arn:flowstate:::command', "
                          "'arn:aws:states:::states:startExecution', "
                          "'arn:aws:states:::states:startExecution.sync', "
                          "'arn:aws:states:::states:startExecution.sync:2', Lambda function ARNs "
                          "and 'arn:aws:states:::lambda:invoke' with --lambda-endpoint URL, and "
                          "mocks any Task state with --mock-config\n"));
}

TEST_CASE("flowstate run: usage mistakes exit 2", "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  CHECK(run_flowstate({"run", file, "--format", "xml"}).exit_code == 2);
  CHECK(run_flowstate({"run", file, "--input", "{}", "--input-file", "x.json"}).exit_code == 2);
  CHECK(run_flowstate({"run"}).exit_code == 2);
  CHECK(run_flowstate({"frobnicate"}).exit_code == 2);
}

TEST_CASE("flowstate run: --input-file - reads the input from stdin", "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  auto run = run_flowstate({"run", file, "--input-file", "-", "--format", "json", "-q"},
                           R"({"a": [true, null]})");
  CHECK(run.exit_code == 0);
  CHECK(test::without_execution_names(run.out) == R"({"status":"SUCCEEDED","output":{"a":[true,null],"b":[1,2.0]}})" "\n");
}

TEST_CASE("flowstate run: task stderr lines stream to stderr prefixed with the state name, unless -q",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("logs.yaml", test::with_task_double(R"(
StartAt: Work
States:
  Work:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", err-lines, "2", print, '"done"']}
    End: true
)")).string();
  auto run = run_flowstate({"run", file});
  CHECK(run.exit_code == 0);
  CHECK(run.out == "\"done\"\n");
  CHECK_THAT(run.err, Catch::Matchers::Contains("[Work] line 0\n[Work] line 1\n"));
  auto quiet = run_flowstate({"run", file, "-q"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
}

TEST_CASE("flowstate run: SIGINT during a Wait aborts the execution, exits 1 and leaves no child",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("interrupt.yaml", test::with_task_double(R"(
StartAt: Par
States:
  Par:
    Type: Parallel
    End: true
    Branches:
      - {StartAt: W, States: {W: {Type: Wait, Seconds: 600, End: true}}}
      - StartAt: Sleeper
        States:
          Sleeper:
            Type: Task
            Resource: arn:flowstate:::command
            Parameters: {Command: ["{td}", pid, sleep, "600000"]}
            End: true
)")).string();
  auto started = std::chrono::steady_clock::now();
  test::FlowstateProcess process({"run", file, "--format", "aws"});
  REQUIRE(process.wait_for_stderr("[Sleeper] pid ", std::chrono::seconds(30)));
  process.signal(SIGINT);
  test::CliResult result = process.finish();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  CHECK(result.exit_code == 1);
  json::object described = parse_object(result.out);
  CHECK(described.at("status").as_string() == "ABORTED");
  CHECK_FALSE(described.contains("error"));
  auto at = result.err.find("[Sleeper] pid ");
  REQUIRE(at != std::string::npos);
  pid_t sleeper = std::stoi(result.err.substr(at + 14));
  CHECK_FALSE(process_exists(sleeper));
}

TEST_CASE("flowstate run --no-store: the durable host runs in memory, with nested machines, "
          "and leaves nothing on disk",
          "[cli][run][nested]") {
  TempDir dir;
  auto parent = dir.write("parent.yaml", R"(StartAt: Child
States:
  Child:
    Type: Task
    Resource: arn:aws:states:::states:startExecution.sync:2
    Parameters: {StateMachineArn: child.yaml, Input: {n.$: $.n}}
    OutputPath: $.Output
    Next: Again
  Again:
    Type: Task
    Resource: arn:aws:states:::states:startExecution.sync:2
    Parameters: {StateMachineArn: child.yaml, Input: {n.$: $.doubled}}
    OutputPath: $.Output
    End: true
)").string();
  dir.write("child.yaml", R"Y(StartAt: Double
States:
  Double: {Type: Pass, Parameters: {doubled.$: "States.MathAdd($.n, $.n)"}, End: true}
)Y");
  auto run = test::run_flowstate_in(dir.path().string(),
                                    {"run", parent, "--no-store", "--input", R"({"n": 3})", "--progress", "none"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(*data::parse_json(run.out) == *data::parse_json(R"({"doubled": 12})"));
  // Each child says it started (as on the store); the top-level execution does not, since
  // its id leads nowhere.
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 2);
  CHECK(run.err.find("of child started") != std::string::npos);
  CHECK(run.err.find("of parent") == std::string::npos);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"child.yaml", "parent.yaml"});

  // A failed child fails the parent as on the store: the error is the child's.
  dir.write("child.yaml", "StartAt: F\nStates:\n  F: {Type: Fail, Error: Nope, Cause: child failed}\n");
  auto failed = run_flowstate({"run", parent, "--no-store", "-q", "--format", "json", "--input", R"({"n": 3})"});
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.find(R"("error":"States.TaskFailed")") != std::string::npos);
  // Nothing was stored, so the result names no id: no command could use one.
  auto result = data::parse_json(failed.out);
  REQUIRE(result.has_value());
  CHECK_FALSE(result->as_object().contains("id"));
  CHECK(result->as_object().contains("executionArn"));
}

TEST_CASE("flowstate run: an execution name AWS refuses is refused with what AWS refuses",
          "[cli][run]") {
  TempDir dir;
  auto file = dir.write("hello.yaml", kHello).string();
  std::string refused = R"((AWS refuses whitespace, control characters and any of <>{}[]?*"#%\^|~`$&,;:/))";
  auto space = run_flowstate({"run", file, "--name", "a b", "--store", (dir / "store").string()});
  CHECK(space.exit_code == 2);
  CHECK(space.err == "flowstate: the execution name 'a b' must not contain a space " + refused + "\n");
  auto colon = run_flowstate({"run", file, "--name", "a:b", "--store", (dir / "store").string()});
  CHECK(colon.err == "flowstate: the execution name 'a:b' must not contain ':' " + refused + "\n");
  // Everything else is a name character, as it is for AWS.
  auto accepted = run_flowstate({"run", file, "--input", R"({"a":1})", "--name", "v1.2@build+7=(ok)!", "-q", "--store",
                                 (dir / "store").string()});
  CHECK(accepted.exit_code == 0);
}

}  // namespace
}  // namespace flowstate::cli
