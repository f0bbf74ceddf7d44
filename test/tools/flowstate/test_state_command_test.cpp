// `flowstate test-state` (a real child process) and flowstate server's TestState action (a
// real server on 127.0.0.1): AWS's TestState response, exit codes, AWS's error codes; and
// chained TestState calls agreeing with what a run of the same machine gives and with what
// AWS recorded for it (../shared/conformance).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"
#include "test/harness/api_server.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/json_text.hpp"
#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kOrderMachine = R"(
StartAt: Charge
States:
  Charge:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke
    Parameters: {FunctionName: charge, Payload.$: $.order}
    ResultSelector: {paid.$: $.Payload.paid}
    ResultPath: $.charge
    Retry:
      - {ErrorEquals: [Lambda.ServiceException], IntervalSeconds: 3, MaxAttempts: 2}
    Catch:
      - {ErrorEquals: [States.ALL], ResultPath: $.failure, Next: Refund}
    Next: Ship
  Ship:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters: {Command: ["{td}", print, '{"shipped": true}']}
    End: true
  Refund: {Type: Succeed}
)";

json::object response_of(const CliResult& result) {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return parse_json_text(result.out).as_object();
}

TEST_CASE("flowstate test-state: a Task with --result, at DEBUG", "[cli][test_state]") {
  TempDir dir;
  auto file = dir.write("order.yaml", with_task_double(std::string(kOrderMachine))).string();
  auto response = response_of(run_flowstate({"test-state", file, "--state", "Charge", "--input",
                                             R"({"order": {"id": 1}})", "--result",
                                             R"({"Payload": {"paid": true}})", "--inspection-level", "DEBUG"}));
  CHECK(response.at("status") == "SUCCEEDED");
  CHECK(response.at("nextState") == "Ship");
  CHECK(response.at("output") == R"({"order":{"id":1},"charge":{"paid":true}})");
  const auto& inspection = response.at("inspectionData").as_object();
  CHECK(inspection.at("input") == R"({"order": {"id": 1}})");
  CHECK(inspection.at("afterParameters") == R"({"FunctionName":"charge","Payload":{"id":1}})");
  CHECK(inspection.at("result") == R"({"Payload":{"paid":true}})");
  CHECK(inspection.at("afterResultSelector") == R"({"paid":true})");
}

TEST_CASE("flowstate test-state: --error is RETRIABLE, then CAUGHT_ERROR once the retries are spent",
          "[cli][test_state]") {
  TempDir dir;
  auto file = dir.write("order.yaml", with_task_double(std::string(kOrderMachine))).string();
  std::vector<std::string> args{"test-state", file, "--state", "Charge", "--input", R"({"order": {}})",
                                "--error", "Lambda.ServiceException", "--cause", "busy"};
  auto retriable = response_of(run_flowstate(args));
  CHECK(retriable.at("status") == "RETRIABLE");
  CHECK(retriable.at("error") == "Lambda.ServiceException");
  CHECK_FALSE(retriable.contains("inspectionData"));  // INFO
  args.insert(args.end(), {"--retry-count", "2"});
  auto caught = response_of(run_flowstate(args));
  CHECK(caught.at("status") == "CAUGHT_ERROR");
  CHECK(caught.at("nextState") == "Refund");
  CHECK(caught.at("output") == R"({"order":{},"failure":{"Error":"Lambda.ServiceException","Cause":"busy"}})");
}

TEST_CASE("flowstate test-state: a command Task without --result runs for real", "[cli][test_state]") {
  TempDir dir;
  auto file = dir.write("order.yaml", with_task_double(std::string(kOrderMachine))).string();
  auto response = response_of(run_flowstate({"test-state", file, "--state", "Ship"}));
  CHECK(response.at("status") == "SUCCEEDED");
  CHECK(response.at("output") == R"({"shipped":true})");
  CHECK_FALSE(response.contains("nextState"));
}

TEST_CASE("flowstate test-state: bad arguments and definitions exit 2 and say why", "[cli][test_state]") {
  TempDir dir;
  auto file = dir.write("order.yaml", with_task_double(std::string(kOrderMachine))).string();
  auto unknown = run_flowstate({"test-state", file, "--state", "Nowhere"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "flowstate: error: The state 'Nowhere' is not in the definition.\n");
  auto both = run_flowstate({"test-state", file, "--state", "Charge", "--result", "1", "--error", "E"});
  CHECK(both.exit_code == 2);
  auto bad_input = run_flowstate({"test-state", file, "--state", "Charge", "--input", "{", "--result", "1"});
  CHECK(bad_input.exit_code == 2);
  CHECK_THAT(bad_input.err, Catch::Matchers::StartsWith("flowstate: --input:1:2: error: not valid JSON"));
  auto mocked_pass = run_flowstate({"test-state", file, "--state", "Refund", "--result", "1"});
  CHECK(mocked_pass.exit_code == 2);
  CHECK(mocked_pass.err == "flowstate: error: A mock can only be specified for Task, Map, or Parallel states; "
                           "'Refund' is a Succeed state.\n");
  auto broken = dir.write("broken.yaml", "StartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n").string();
  auto invalid = run_flowstate({"test-state", broken, "--state", "A"});
  CHECK(invalid.exit_code == 2);
  CHECK_THAT(invalid.err, Catch::Matchers::Contains(broken + ":3:"));
  CHECK(invalid.out.empty());
}

// ---- agreement with a run, and with what AWS recorded ----

std::filesystem::path conformance_case(std::string_view id) {
  const char* dir = std::getenv("FLOWSTATE_CONFORMANCE_DIR");
  std::filesystem::path root =
      dir ? std::filesystem::path(dir) : std::filesystem::path(FLOWSTATE_SOURCE_DIR) / ".." / "shared" / "conformance";
  return root / "cases" / id;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  INFO(path.string());
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("flowstate test-state: chained from StartAt, the states give what the run gives and AWS recorded",
          "[cli][test_state][conformance]") {
  // Machines of Pass, Choice, Wait, Succeed and Fail states (JSONPath and JSONata,
  // intrinsics, Assign and variables): each state's output and nextState feed the next test,
  // as DG-teststate ("Iterating through state machine definitions") chains them.
  auto id = GENERATE(as<std::string>{}, "core/base_scenarios.choice_aws_docs_scenario~CHOICE_STATE_AWS_SCENARIO",
                     "core/base_scenarios.choice_aws_docs_scenario~CHOICE_STATE_AWS_SCENARIO_JSONATA",
                     "core/assign_reference_variables.reference_assign~BASE_REFERENCE_IN_CHOICE",
                     "core/assign_reference_variables.reference_assign~BASE_REFERENCE_IN_WAIT",
                     "core/assign_base.assign_in_choice~CONDITION_TRUE",
                     "core/base.state_pass_result_null_input_output_paths", "core/array.array_partition-00",
                     "core/boolean_equals.boolean_equals-00");
  INFO(id);
  auto dir = conformance_case(id);
  auto definition = (dir / "definition.json").string();
  auto expected = parse_json_text(file_text(dir / "expected.json")).as_object();
  std::string input = file_text(dir / "input.json");
  auto machine = parse_json_text(file_text(dir / "definition.json")).as_object();

  std::string state(machine.at("StartAt").as_string());
  std::string variables;
  json::object response;
  for (int step = 0; step < 20 && !state.empty(); ++step) {
    std::vector<std::string> args{"test-state", definition, "--state", state, "--input", input,
                                  "--inspection-level", "DEBUG"};
    if (!variables.empty()) args.insert(args.end(), {"--variables", variables});
    response = response_of(run_flowstate(args));
    INFO(data::serialize_json(response));
    const auto& inspection = response.at("inspectionData").as_object();
    if (inspection.contains("variables")) variables = std::string(inspection.at("variables").as_string());
    state = response.contains("nextState") ? std::string(response.at("nextState").as_string()) : "";
    if (response.contains("output")) input = std::string(response.at("output").as_string());
  }
  REQUIRE(state.empty());
  REQUIRE(expected.at("status") == "SUCCEEDED");
  CHECK(response.at("status") == "SUCCEEDED");
  CHECK(parse_json_text(input) == expected.at("output"));
  auto run = run_flowstate({"run", definition, "--input-file", (dir / "input.json").string(), "--no-store"});
  REQUIRE(run.exit_code == 0);
  CHECK(parse_json_text(input) == parse_json_text(run.out));
}

// ---- flowstate server's TestState ----

TEST_CASE("server: TestState answers AWS's response and errors", "[cli][test_state][server]") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());

  auto pass = client.ok("TestState", {{"definition", R"({"Type": "Pass", "InputPath": "$.payload",
    "Parameters": {"data": 1}, "ResultPath": "$.result", "OutputPath": "$.result.data", "Next": "Another State"})"},
                                      {"roleArn", "arn:aws:iam::123456789012:role/r"},
                                      {"input", R"({"payload": {"foo": "bar"}})"},
                                      {"inspectionLevel", "DEBUG"}});
  CHECK(pass == parse_json_text(R"({"output": "1", "inspectionData": {
    "input": "{\"payload\": {\"foo\": \"bar\"}}", "afterInputPath": "{\"foo\":\"bar\"}",
    "afterParameters": "{\"data\":1}", "afterResultSelector": "{\"data\":1}",
    "afterResultPath": "{\"payload\":{\"foo\":\"bar\"},\"result\":{\"data\":1}}"},
    "nextState": "Another State", "status": "SUCCEEDED"})"));

  std::string task = R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Catch": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "ResultPath": "$.error",
               "Next": "HandleThrottling"}], "Next": "Success"})";
  auto caught = client.ok("TestState", {{"definition", task}, {"input", R"({"data": "value"})"},
                                        {"inspectionLevel", "DEBUG"},
                                        {"mock", {{"errorOutput", {{"error", "Lambda.TooManyRequestsException"},
                                                                   {"cause", "Rate exceeded"}}}}}});
  CHECK(caught.at("status") == "CAUGHT_ERROR");
  CHECK(caught.at("nextState") == "HandleThrottling");
  CHECK(caught.at("error") == "Lambda.TooManyRequestsException");
  CHECK(caught.at("cause") == "Rate exceeded");
  CHECK(caught.at("output") ==
        R"({"data":"value","error":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded"}})");
  CHECK(caught.at("inspectionData").at("errorDetails") == json::object{{"catchIndex", 0}});

  // A whole machine with stateName.
  auto chosen = client.ok("TestState", {{"definition", R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Two"}], "Default": "Other"},
      "Two": {"Type": "Succeed"}, "Other": {"Type": "Succeed"}}})"},
                                        {"stateName", "C"}, {"input", R"({"n": 2})"}});
  CHECK(chosen == json::object{{"output", R"({"n":2})"}, {"nextState", "Two"}, {"status", "SUCCEEDED"}});

  // An unmocked Task that nothing here serves fails as a state whose service is unreachable.
  auto unserved = client.ok("TestState", {{"definition", R"({"Type": "Task", "Resource":
    "arn:aws:states:::lambda:invoke", "End": true})"}});
  CHECK(unserved.at("status") == "FAILED");
  CHECK(unserved.at("error") == "States.Runtime");

  CHECK(client.call("TestState", {{"definition", R"({"Type": "Pass", "Next": )"}}).error_type == "InvalidDefinition");
  CHECK(client.call("TestState", {{"definition", R"({"Type": "Pass", "End": true})"}, {"input", "{"}}).error_type ==
        "InvalidExecutionInput");
  auto mocked_pass = client.call("TestState", {{"definition", R"({"Type": "Pass", "End": true})"},
                                               {"mock", {{"result", "1"}}}});
  CHECK(mocked_pass.error_type == "ValidationException");
  CHECK(mocked_pass.body.at("message") ==
        "A mock can only be specified for Task, Map, or Parallel states; 'TestState' is a Pass state.");
  CHECK(client.call("TestState", {{"definition", task}, {"mock", {{"result", "1"}, {"errorOutput", {{"error", "E"}}}}}})
            .error_type == "ValidationException");
  CHECK(client.call("TestState", {{"definition", task}, {"inspectionLevel", "LOUD"}}).error_type ==
        "ValidationException");
  CHECK(client.call("TestState", {{"definition", R"({"Type": "Pass", "End": true})"}, {"inspectionLevel", "TRACE"}})
            .error_type == "ValidationException");
  CHECK(client.call("TestState", {{"definition", task}, {"context", "{}"}}).error_type == "ValidationException");
}

}  // namespace
}  // namespace flowstate::test
