// What `run` and `validate` read from a definition file and check before anything starts:
// the state machine's name (job.asl.json → job, --machine-name, AWS's naming rules), the same
// refusals in both commands, JSON that AWS's parser refuses (validate warns), and every valid
// JSON text, surrogate-pair escapes included. The real binary on real files.
#include <string>

#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

using test::run_flowstate;
using test::TempDir;

constexpr const char* kTask = R"(StartAt: Fetch
States:
  Fetch:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:111111111111:function:fetch
    End: true
)";
constexpr const char* kMocks = R"({"StateMachines": {"job": {"TestCases": {"Happy": {"Fetch": "Rows"}}}},
  "MockedResponses": {"Rows": {"0": {"Return": {"rows": 3}}}}})";

TEST_CASE("flowstate run: job.asl.json, job.asl.yaml and job.asl.yml name the state machine job",
          "[cli][machine-name]") {
  TempDir dir;
  std::string store = (dir.path() / "store").string();
  auto mocks = dir.write("MockConfigFile.json", kMocks).string();
  for (const char* name : {"job.asl.json", "job.asl.yaml", "job.asl.yml", "job.yaml"}) {
    INFO(name);
    auto file = dir.write(name, kTask).string();
    auto ran = run_flowstate({"run", file, "--store", store, "-q", "--mock-config", mocks, "--test-case", "Happy",
                              "--format", "aws"});
    INFO(ran.err);
    CHECK(ran.exit_code == 0);
    auto described = data::parse_json(ran.out);
    REQUIRE(described.has_value());
    CHECK(described->at("stateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:job");
  }
}

TEST_CASE("flowstate run --machine-name: names the state machine, a name AWS refuses is refused with its rule",
          "[cli][machine-name]") {
  TempDir dir;
  auto mocks = dir.write("MockConfigFile.json", kMocks).string();
  auto file = dir.write("fetch rows.yaml", kTask).string();
  auto spaced = run_flowstate({"run", file, "--no-store", "-q"});
  CHECK(spaced.exit_code == 2);
  CHECK(spaced.err == file + ": error: the state machine name 'fetch rows' must not contain a space (AWS refuses "
                             "whitespace, control characters and any of <>{}[]?*\"#%\\^|~`$&,;:/); it is the file's "
                             "name without its extension: rename the file or give --machine-name NAME\n");
  auto named = run_flowstate({"run", file, "--no-store", "-q", "--machine-name", "job", "--mock-config", mocks,
                              "--test-case", "Happy"});
  INFO(named.err);
  CHECK(named.exit_code == 0);
  CHECK(*data::parse_json(named.out) == *data::parse_json(R"({"rows": 3})"));
  auto slash = run_flowstate({"run", file, "--no-store", "--machine-name", "a/b"});
  CHECK(slash.exit_code == 2);
  CHECK(slash.err == file + ": error: the state machine name 'a/b' must not contain '/' (AWS refuses whitespace, "
                            "control characters and any of <>{}[]?*\"#%\\^|~`$&,;:/); give another --machine-name\n");
  auto long_name = run_flowstate({"validate", file, "--machine-name", std::string(81, 'x')});
  CHECK(long_name.exit_code == 2);
  CHECK(long_name.err.find("must be 1 to 80 characters long") != std::string::npos);
}

TEST_CASE("flowstate validate: refuses what run refuses before starting, with the same options",
          "[cli][validate]") {
  TempDir dir;
  // A feature the runtime cannot run yet (Plan::unsupported).
  auto reader = dir.write("reader.yaml", R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemReader: {Resource: arn:aws:states:::s3:getObject, Parameters: {Bucket: b, Key: k}}
    ItemProcessor:
      ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
      StartAt: P
      States: {P: {Type: Pass, End: true}}
    End: true
)").string();
  auto validated = run_flowstate({"validate", reader});
  auto ran = run_flowstate({"run", reader, "--no-store", "-q"});
  CHECK(validated.exit_code == 2);
  CHECK(ran.exit_code == 2);
  CHECK(validated.err == ran.err);
  CHECK(validated.err.starts_with(reader + ":5:5: error: 'ItemReader' (reading items from S3) is not supported"));

  // A Task resource nothing serves; served by a mock test case (as run takes it).
  auto task = dir.write("job.yaml", kTask).string();
  auto unserved = run_flowstate({"validate", task});
  CHECK(unserved.exit_code == 2);
  CHECK(unserved.err == run_flowstate({"run", task}).err);
  CHECK(unserved.err.starts_with(task + ":5:15: error: no task resource serves "
                                        "'arn:aws:lambda:us-east-1:111111111111:function:fetch' (state 'Fetch')"));
  auto mocks = dir.write("MockConfigFile.json", kMocks).string();
  auto mocked = run_flowstate({"validate", task, "--mock-config", mocks, "--test-case", "Happy"});
  CHECK(mocked.exit_code == 0);
  CHECK(mocked.err.empty());
  auto unknown_case = run_flowstate({"validate", task, "--mock-config", mocks, "--test-case", "Sad"});
  CHECK(unknown_case.exit_code == 2);
  CHECK(unknown_case.err.find("no test case 'Sad' for state machine 'job'") != std::string::npos);
}

TEST_CASE("flowstate validate: a .json file AWS's JSON parser refuses is warned about with its position, run "
          "accepts it",
          "[cli][validate]") {
  TempDir dir;
  const char* cases[][2] = {
      {"{\"StartAt\": \"P\",\n \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true,}}}",
       ":2:46: warning: AWS Step Functions will not accept this file: a comma before '}' (a trailing comma); JSON "
       "allows none; flowstate reads it because it reads YAML, which allows this\n"},
      {"{\"StartAt\": \"P\", # the first state\n \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
       ":1:18: warning: AWS Step Functions will not accept this file: a comment; JSON has no comments; flowstate "
       "reads it because it reads YAML, which allows this\n"},
      {"{\"StartAt\": 'P', \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
       ":1:13: warning: AWS Step Functions will not accept this file: a single-quoted string; JSON strings are in "
       "double quotes; flowstate reads it because it reads YAML, which allows this\n"},
  };
  for (const auto& [text, warning] : cases) {
    INFO(text);
    auto file = dir.write("lenient.json", text).string();
    auto validated = run_flowstate({"validate", file});
    CHECK(validated.exit_code == 0);
    CHECK(validated.err == file + warning);
    auto ran = run_flowstate({"run", file, "--no-store", "-q"});
    CHECK(ran.exit_code == 0);
    CHECK(ran.err.empty());
    // The same text in a YAML file is YAML, which allows it.
    auto yaml = dir.write("lenient.yaml", text).string();
    CHECK(run_flowstate({"validate", yaml}).err.empty());
  }
}

TEST_CASE("flowstate run: a JSON definition with surrogate-pair escapes loads, a lone surrogate is refused "
          "clearly",
          "[cli][validate]") {
  TempDir dir;
  // As Python's json.dumps(..., ensure_ascii=True) writes "😂 é".
  auto file = dir.write("emoji.json", R"({"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Result": "\ud83d\ude02 \u00e9", "End": true}}})")
                  .string();
  CHECK(run_flowstate({"validate", file}).exit_code == 0);
  auto ran = run_flowstate({"run", file, "--no-store", "-q"});
  INFO(ran.err);
  CHECK(ran.exit_code == 0);
  CHECK(*data::parse_json(ran.out) == "\xf0\x9f\x98\x82 \xc3\xa9");

  auto lone = dir.write("lone.json", R"({"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Result": "\ud83d", "End": true}}})")
                  .string();
  auto refused = run_flowstate({"validate", lone});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == lone + ":2:14: error: \\ud83d is half of a UTF-16 surrogate pair, and its other half does "
                              "not follow it (a high one, \\ud800-\\udbff, comes first, then a low one, "
                              "\\udc00-\\udfff); write the pair, or the character itself\n");
}

}  // namespace
}  // namespace flowstate::cli
