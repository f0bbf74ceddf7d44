// End-to-end tests of `flowstate server`: the real binary on a real store, spoken to over
// real loopback sockets with the AWS JSON 1.0 protocol (test/harness/api_server.hpp).
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test/harness/api_server.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using test::ApiClient;
using test::ApiServer;
using test::TempDir;

constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/flowstate";

std::string machine_arn(std::string_view name) {
  return fmt::format("arn:aws:states:us-east-1:123456789012:stateMachine:{}", name);
}

std::string wait_then_pass(int seconds) {
  return fmt::format(R"({{"StartAt":"W","States":{{"W":{{"Type":"Wait","Seconds":{},"Next":"P"}},)"
                     R"("P":{{"Type":"Pass","Result":"done","End":true}}}}}})",
                     seconds);
}

void create(ApiClient& client, std::string_view name, const std::string& definition) {
  client.ok("CreateStateMachine", {{"name", name}, {"definition", definition}, {"roleArn", kRole}});
}

// DescribeExecution until `status` (true) or `timeout`.
bool wait_for_status(ApiClient& client, const std::string& arn, std::string_view status,
                     std::chrono::seconds timeout = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (client.ok("DescribeExecution", {{"executionArn", arn}}).at("status").as_string() == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_CASE("server: protocol errors are AWS's, and the connection keeps serving") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());

  auto unknown = client.call("NoSuchAction", {});
  CHECK(unknown.status == 400);
  CHECK(unknown.error_type == "UnknownOperationException");
  CHECK(unknown.body.at("__type") == "UnknownOperationException");

  // flowstate's local actions need the store's key (server_presence.hpp).
  auto local = client.call_raw("Flowstate.StartDefinition", "{}");
  CHECK(local.status == 403);
  CHECK(local.error_type == "AccessDeniedException");

  auto not_a_token = client.call("SendTaskSuccess", {{"taskToken", "t"}, {"output", "{}"}});
  CHECK(not_a_token.error_type == "InvalidToken");
  auto no_output = client.call("SendTaskSuccess", {{"taskToken", "t"}});
  CHECK(no_output.error_type == "ValidationException");

  auto no_target = client.call_raw("", "{}");
  CHECK(no_target.error_type == "UnknownOperationException");

  auto malformed = client.call_raw("AWSStepFunctions.ListStateMachines", "{\"maxResults\": ");
  CHECK(malformed.status == 400);
  CHECK(malformed.error_type == "SerializationException");

  auto missing = client.call("CreateStateMachine", {{"name", "m"}, {"roleArn", kRole}});
  CHECK(missing.error_type == "ValidationException");
  CHECK(missing.body.at("message").as_string().find("'definition'") != json::string::npos);

  auto bad_arn = client.call("DescribeExecution", {{"executionArn", "not-an-arn"}});
  CHECK(bad_arn.error_type == "InvalidArn");

  auto too_big = client.call_raw("AWSStepFunctions.ListStateMachines",
                                 "{\"x\": \"" + std::string(1024 * 1024 + 10, 'a') + "\"}");
  CHECK(too_big.status == 413);
  CHECK(too_big.body.at("__type") == "ValidationException");

  // Still serving, on a new connection and on this one.
  ApiClient other(server.port());
  CHECK(other.ok("ListStateMachines", {}).at("stateMachines").as_array().empty());
  CHECK(client.ok("ListStateMachines", {}).at("stateMachines").as_array().empty());
}

TEST_CASE("server: state machines are created, described, listed, updated and deleted") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  std::string definition = wait_then_pass(0);
  json::object request{{"name", "alpha"}, {"definition", definition}, {"roleArn", kRole}};
  auto created = client.ok("CreateStateMachine", request);
  CHECK(created.at("stateMachineArn") == json::value(machine_arn("alpha")));
  CHECK(created.at("creationDate").is_double());
  // Idempotent on the same name, definition and type; refused otherwise.
  CHECK(client.ok("CreateStateMachine", request).at("creationDate") == created.at("creationDate"));
  request["definition"] = wait_then_pass(1);
  CHECK(client.call("CreateStateMachine", request).error_type == "StateMachineAlreadyExists");

  auto invalid = client.call("CreateStateMachine", {{"name", "broken"},
                                                     {"definition", R"({"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}})"},
                                                     {"roleArn", kRole}});
  CHECK(invalid.error_type == "InvalidDefinition");
  CHECK(invalid.body.at("message").as_string().find("definition:1:") != json::string::npos);
  CHECK(client.call("CreateStateMachine", {{"name", "bad name"}, {"definition", definition}, {"roleArn", kRole}})
            .error_type == "InvalidName");

  auto described = client.ok("DescribeStateMachine", {{"stateMachineArn", machine_arn("alpha")}});
  CHECK(described.at("name") == "alpha");
  CHECK(described.at("definition") == json::value(definition));
  CHECK(described.at("type") == "STANDARD");
  CHECK(described.at("status") == "ACTIVE");

  create(client, "beta", definition);
  auto first = client.ok("ListStateMachines", {{"maxResults", 1}});
  REQUIRE(first.at("stateMachines").as_array().size() == 1);
  CHECK(first.at("stateMachines").as_array()[0].at("name") == "alpha");
  auto second = client.ok("ListStateMachines", {{"maxResults", 1}, {"nextToken", first.at("nextToken")}});
  CHECK(second.at("stateMachines").as_array()[0].at("name") == "beta");
  CHECK(!second.contains("nextToken"));

  std::string updated = wait_then_pass(2);
  CHECK(client.ok("UpdateStateMachine", {{"stateMachineArn", machine_arn("beta")}, {"definition", updated}})
            .contains("updateDate"));
  CHECK(client.ok("DescribeStateMachine", {{"stateMachineArn", machine_arn("beta")}}).at("definition") == json::value(updated));

  client.ok("DeleteStateMachine", {{"stateMachineArn", machine_arn("beta")}});
  CHECK(client.call("DescribeStateMachine", {{"stateMachineArn", machine_arn("beta")}}).error_type ==
        "StateMachineDoesNotExist");

  auto validated = client.ok("ValidateStateMachineDefinition", {{"definition", R"({"StartAt": "X", "States": {}})"}});
  CHECK(validated.at("result") == "FAIL");
  CHECK(!validated.at("diagnostics").as_array().empty());
  CHECK(client.ok("ValidateStateMachineDefinition", {{"definition", definition}}).at("result") == "OK");
}

TEST_CASE("server: executions start (idempotently), finish and page their history") {
  TempDir dir;
  ApiServer server(dir.path() / "store", {"--skip-waits"});
  ApiClient client(server.port());
  create(client, "waiter", wait_then_pass(30));
  json::object start{{"stateMachineArn", machine_arn("waiter")}, {"name", "run-1"}, {"input", R"({"n": 1})"}};
  auto started = client.ok("StartExecution", start);
  std::string arn = std::string(started.at("executionArn").as_string());
  CHECK(arn == "arn:aws:states:us-east-1:123456789012:execution:waiter:run-1");
  REQUIRE(wait_for_status(client, arn, "SUCCEEDED"));
  auto described = client.ok("DescribeExecution", {{"executionArn", arn}});
  CHECK(described.at("output") == "\"done\"");
  CHECK(described.at("input") == R"({"n":1})");
  // The same name once the first has finished: ExecutionAlreadyExists.
  CHECK(client.call("StartExecution", start).error_type == "ExecutionAlreadyExists");
  CHECK(client.call("StartExecution", {{"stateMachineArn", machine_arn("nothing")}}).error_type ==
        "StateMachineDoesNotExist");
  CHECK(client.call("StartExecution", {{"stateMachineArn", machine_arn("waiter")}, {"input", "{"}}).error_type ==
        "InvalidExecutionInput");

  auto all = client.ok("GetExecutionHistory", {{"executionArn", arn}}).at("events").as_array();
  REQUIRE(all.size() >= 6);
  CHECK(all.front().at("type") == "ExecutionStarted");
  CHECK(all.back().at("type") == "ExecutionSucceeded");
  CHECK(all.front().at("timestamp").is_double());
  json::array paged;
  json::object request{{"executionArn", arn}, {"maxResults", 2}};
  for (int pages = 0; pages < 20; ++pages) {
    auto page = client.ok("GetExecutionHistory", request);
    for (auto& event : page.at("events").as_array()) paged.push_back(event);
    if (!page.contains("nextToken")) break;
    request["nextToken"] = page.at("nextToken");
  }
  CHECK(paged == all);
  auto reversed = client.ok("GetExecutionHistory", {{"executionArn", arn}, {"reverseOrder", true}, {"maxResults", 1}});
  CHECK(reversed.at("events").as_array()[0].at("type") == "ExecutionSucceeded");
  auto without_data = client.ok("GetExecutionHistory", {{"executionArn", arn}, {"includeExecutionData", false}});
  CHECK(!without_data.at("events").as_array()[0].at("executionStartedEventDetails").as_object().contains("input"));

  auto second = client.ok("StartExecution", {{"stateMachineArn", machine_arn("waiter")}});
  REQUIRE(wait_for_status(client, std::string(second.at("executionArn").as_string()), "SUCCEEDED"));
  auto listed = client.ok("ListExecutions", {{"stateMachineArn", machine_arn("waiter")}});
  REQUIRE(listed.at("executions").as_array().size() == 2);
  CHECK(listed.at("executions").as_array()[0].at("executionArn") == second.at("executionArn"));  // newest first
  CHECK(client.ok("ListExecutions", {{"stateMachineArn", machine_arn("waiter")}, {"statusFilter", "FAILED"}})
            .at("executions")
            .as_array()
            .empty());
  // The context object names the machine created through the API.
  create(client, "ctx", R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"name.$":"$$.StateMachine.Name",)"
                        R"("id.$":"$$.Execution.Id"},"End":true}}})");
  auto ctx = client.ok("StartExecution", {{"stateMachineArn", machine_arn("ctx")}, {"name", "c1"}});
  REQUIRE(wait_for_status(client, std::string(ctx.at("executionArn").as_string()), "SUCCEEDED"));
  CHECK(client.ok("DescribeExecution", {{"executionArn", ctx.at("executionArn")}}).at("output") ==
        R"({"name":"ctx","id":"arn:aws:states:us-east-1:123456789012:execution:ctx:c1"})");
  auto for_execution = client.ok("DescribeStateMachineForExecution", {{"executionArn", arn}});
  CHECK(for_execution.at("definition") == json::value(wait_then_pass(30)));
}

TEST_CASE("server: a running start is idempotent, stop aborts, redrive runs the failed state again") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  create(client, "slow", wait_then_pass(60));
  json::object start{{"stateMachineArn", machine_arn("slow")}, {"name", "s1"}, {"input", "{}"}};
  auto started = client.ok("StartExecution", start);
  CHECK(client.ok("StartExecution", start) == started);
  start["input"] = R"({"other": true})";
  CHECK(client.call("StartExecution", start).error_type == "ExecutionAlreadyExists");
  std::string arn = std::string(started.at("executionArn").as_string());
  CHECK(client.ok("StopExecution", {{"executionArn", arn}, {"error", "Manual"}, {"cause", "stopped by the test"}})
            .contains("stopDate"));
  REQUIRE(wait_for_status(client, arn, "ABORTED"));
  auto aborted = client.ok("DescribeExecution", {{"executionArn", arn}});
  CHECK(aborted.at("error") == "Manual");
  CHECK(aborted.at("cause") == "stopped by the test");
  auto last = client.ok("GetExecutionHistory", {{"executionArn", arn}, {"reverseOrder", true}, {"maxResults", 1}});
  CHECK(last.at("events").as_array()[0].at("executionAbortedEventDetails").at("error") == "Manual");

  fs::path flag = dir.path() / "ready";
  create(client, "flaky",
         fmt::format(R"({{"StartAt":"Check","States":{{"Check":{{"Type":"Task","Resource":"arn:flowstate:::command",)"
                     R"("Parameters":{{"Command":["test","-e","{}"]}},"End":true}}}}}})",
                     flag.string()));
  auto flaky = client.ok("StartExecution", {{"stateMachineArn", machine_arn("flaky")}, {"name", "f1"}});
  std::string flaky_arn = std::string(flaky.at("executionArn").as_string());
  REQUIRE(wait_for_status(client, flaky_arn, "FAILED"));
  std::ofstream(flag) << "ok\n";
  CHECK(client.ok("RedriveExecution", {{"executionArn", flaky_arn}}).contains("redriveDate"));
  REQUIRE(wait_for_status(client, flaky_arn, "SUCCEEDED"));
  CHECK(client.ok("DescribeExecution", {{"executionArn", flaky_arn}}).at("redriveCount") == 1);
  CHECK(client.call("RedriveExecution", {{"executionArn", flaky_arn}}).error_type == "ExecutionNotRedrivable");
}

TEST_CASE("server: a RUNNING execution continues after kill -9 and a restart") {
  TempDir dir;
  std::string arn;
  {
    ApiServer server(dir.path() / "store");
    ApiClient client(server.port());
    create(client, "nap", wait_then_pass(2));
    arn = std::string(client.ok("StartExecution", {{"stateMachineArn", machine_arn("nap")}, {"name", "n1"}})
                          .at("executionArn")
                          .as_string());
    server.process().signal(SIGKILL);
    server.process().finish();
  }
  ApiServer restarted(dir.path() / "store");
  CHECK(restarted.process().stderr_text().find("resumed 1 running execution") != std::string::npos);
  ApiClient client(restarted.port());
  REQUIRE(wait_for_status(client, arn, "SUCCEEDED"));
}

TEST_CASE("server: a nested startExecution.sync:2 runs a state machine created through the API") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  create(client, "child", R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"from":"child"},"End":true}}})");
  create(client, "parent",
         fmt::format(R"({{"StartAt":"Call","States":{{"Call":{{"Type":"Task",)"
                     R"("Resource":"arn:aws:states:::states:startExecution.sync:2",)"
                     R"("Parameters":{{"StateMachineArn":"{}","Input":{{}}}},"OutputPath":"$.Output","End":true}}}}}})",
                     machine_arn("child")));
  create(client, "orphan",
         R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",)"
         R"("Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:missing"},"End":true}}})");
  std::string arn = std::string(
      client.ok("StartExecution", {{"stateMachineArn", machine_arn("parent")}}).at("executionArn").as_string());
  REQUIRE(wait_for_status(client, arn, "SUCCEEDED"));
  CHECK(client.ok("DescribeExecution", {{"executionArn", arn}}).at("output") == R"({"from":"child"})");
  CHECK(client.ok("ListExecutions", {{"stateMachineArn", machine_arn("child")}}).at("executions").as_array().size() == 1);
  std::string orphan = std::string(
      client.ok("StartExecution", {{"stateMachineArn", machine_arn("orphan")}}).at("executionArn").as_string());
  REQUIRE(wait_for_status(client, orphan, "FAILED"));
  CHECK(client.ok("DescribeExecution", {{"executionArn", orphan}}).at("error") ==
        "StepFunctions.StateMachineDoesNotExistException");
}

std::string pass_result(std::string_view result) {
  return fmt::format(R"({{"StartAt":"P","States":{{"P":{{"Type":"Pass","Result":"{}","End":true}}}}}})", result);
}

std::string started_arn(ApiClient& client, const std::string& machine) {
  return std::string(client.ok("StartExecution", {{"stateMachineArn", machine}}).at("executionArn").as_string());
}

// The executions ListExecutions answers for a machine, version or alias ARN.
std::size_t execution_count(ApiClient& client, const std::string& arn) {
  return client.ok("ListExecutions", {{"stateMachineArn", arn}}).at("executions").as_array().size();
}

TEST_CASE("server: versions are published, described, listed, run and deleted") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  std::string machine = machine_arn("pub");
  auto created = client.ok("CreateStateMachine", {{"name", "pub"}, {"definition", pass_result("v1")}, {"roleArn", kRole},
                                                  {"publish", true}, {"versionDescription", "first"}});
  CHECK(created.at("stateMachineVersionArn") == json::value(machine + ":1"));
  auto v1 = client.ok("DescribeStateMachine", {{"stateMachineArn", machine + ":1"}});
  CHECK(v1.at("stateMachineArn") == json::value(machine + ":1"));
  CHECK(v1.at("description") == "first");
  CHECK(v1.at("definition") == json::value(pass_result("v1")));
  // The first revision has no revisionId; publishing it again is idempotent, also as INITIAL.
  CHECK(!client.ok("DescribeStateMachine", {{"stateMachineArn", machine}}).contains("revisionId"));
  CHECK(client.ok("PublishStateMachineVersion", {{"stateMachineArn", machine}}).at("stateMachineVersionArn") ==
        json::value(machine + ":1"));
  CHECK(client.ok("PublishStateMachineVersion", {{"stateMachineArn", machine}, {"revisionId", "INITIAL"}})
            .at("stateMachineVersionArn") == json::value(machine + ":1"));
  CHECK(client.call("PublishStateMachineVersion", {{"stateMachineArn", machine}, {"revisionId", "stale"}}).error_type ==
        "ConflictException");
  CHECK(client.call("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", pass_result("v2")},
                                           {"versionDescription", "no publish"}})
            .error_type == "ValidationException");

  auto updated = client.ok("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", pass_result("v2")},
                                                  {"publish", true}, {"versionDescription", "second"}});
  CHECK(updated.at("stateMachineVersionArn") == json::value(machine + ":2"));
  json::value revision = updated.at("revisionId");
  REQUIRE(revision.is_string());
  CHECK(client.ok("DescribeStateMachine", {{"stateMachineArn", machine}}).at("revisionId") == revision);
  auto v2 = client.ok("DescribeStateMachine", {{"stateMachineArn", machine + ":2"}});
  CHECK(v2.at("revisionId") == revision);
  CHECK(v2.at("description") == "second");
  CHECK(client.ok("PublishStateMachineVersion", {{"stateMachineArn", machine}, {"revisionId", revision}})
            .at("stateMachineVersionArn") == json::value(machine + ":2"));
  // Version 1 keeps its definition after the update.
  CHECK(client.ok("DescribeStateMachine", {{"stateMachineArn", machine + ":1"}}).at("definition") ==
        json::value(pass_result("v1")));

  auto newest = client.ok("ListStateMachineVersions", {{"stateMachineArn", machine}, {"maxResults", 1}});
  REQUIRE(newest.at("stateMachineVersions").as_array().size() == 1);
  CHECK(newest.at("stateMachineVersions").as_array()[0].at("stateMachineVersionArn") == json::value(machine + ":2"));
  auto oldest = client.ok("ListStateMachineVersions",
                          {{"stateMachineArn", machine}, {"maxResults", 1}, {"nextToken", newest.at("nextToken")}});
  CHECK(oldest.at("stateMachineVersions").as_array()[0].at("stateMachineVersionArn") == json::value(machine + ":1"));
  CHECK(!oldest.contains("nextToken"));

  std::string on_v1 = started_arn(client, machine + ":1");
  std::string on_latest = started_arn(client, machine);
  REQUIRE(wait_for_status(client, on_v1, "SUCCEEDED"));
  REQUIRE(wait_for_status(client, on_latest, "SUCCEEDED"));
  auto ran_v1 = client.ok("DescribeExecution", {{"executionArn", on_v1}});
  CHECK(ran_v1.at("output") == "\"v1\"");
  CHECK(ran_v1.at("stateMachineArn") == json::value(machine));
  CHECK(ran_v1.at("stateMachineVersionArn") == json::value(machine + ":1"));
  CHECK(!ran_v1.contains("stateMachineAliasArn"));
  auto ran_latest = client.ok("DescribeExecution", {{"executionArn", on_latest}});
  CHECK(ran_latest.at("output") == "\"v2\"");
  CHECK(!ran_latest.contains("stateMachineVersionArn"));
  CHECK(execution_count(client, machine + ":1") == 1);
  CHECK(execution_count(client, machine + ":2") == 0);
  CHECK(execution_count(client, machine) == 2);
  // A nested startExecution on a version ARN runs that version too.
  create(client, "caller",
         fmt::format(R"({{"StartAt":"Call","States":{{"Call":{{"Type":"Task",)"
                     R"("Resource":"arn:aws:states:::states:startExecution.sync:2",)"
                     R"("Parameters":{{"StateMachineArn":"{}:1"}},"OutputPath":"$.Output","End":true}}}}}})",
                     machine));
  std::string nested = started_arn(client, machine_arn("caller"));
  REQUIRE(wait_for_status(client, nested, "SUCCEEDED"));
  CHECK(client.ok("DescribeExecution", {{"executionArn", nested}}).at("output") == "\"v1\"");

  client.ok("DeleteStateMachineVersion", {{"stateMachineVersionArn", machine + ":1"}});
  client.ok("DeleteStateMachineVersion", {{"stateMachineVersionArn", machine + ":1"}});  // gone already: success
  CHECK(client.call("DescribeStateMachine", {{"stateMachineArn", machine + ":1"}}).error_type ==
        "StateMachineDoesNotExist");
  CHECK(client.call("StartExecution", {{"stateMachineArn", machine + ":1"}}).error_type == "StateMachineDoesNotExist");
  CHECK(client.ok("ListStateMachineVersions", {{"stateMachineArn", machine}}).at("stateMachineVersions").as_array().size() ==
        1);
  // Numbers are not reused: the next version after 2 is 3 even with 1 deleted.
  client.ok("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", pass_result("v3")}});
  CHECK(client.ok("PublishStateMachineVersion", {{"stateMachineArn", machine}}).at("stateMachineVersionArn") ==
        json::value(machine + ":3"));
}

TEST_CASE("server: aliases route executions by weight, hold their versions, survive a restart and go with the machine") {
  TempDir dir;
  std::string machine = machine_arn("routed");
  std::string prod = machine + ":PROD";
  auto route = [&](int v1_weight) {
    json::array routes{json::object{{"stateMachineVersionArn", machine + ":1"}, {"weight", v1_weight}}};
    if (v1_weight < 100) routes.push_back(json::object{{"stateMachineVersionArn", machine + ":2"}, {"weight", 100 - v1_weight}});
    return routes;
  };
  {
    ApiServer server(dir.path() / "store");
    ApiClient client(server.port());
    client.ok("CreateStateMachine", {{"name", "routed"}, {"definition", pass_result("v1")}, {"roleArn", kRole}, {"publish", true}});
    client.ok("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", pass_result("v2")}, {"publish", true}});

    json::object create_prod{{"name", "PROD"}, {"description", "live"}, {"routingConfiguration", route(100)}};
    auto created = client.ok("CreateStateMachineAlias", create_prod);
    CHECK(created.at("stateMachineAliasArn") == json::value(prod));
    CHECK(client.ok("CreateStateMachineAlias", create_prod).at("creationDate") == created.at("creationDate"));
    create_prod["description"] = "other";
    CHECK(client.call("CreateStateMachineAlias", create_prod).error_type == "ConflictException");
    auto refused = [&](std::string_view name, json::array routes) {
      return client.call("CreateStateMachineAlias", {{"name", name}, {"routingConfiguration", std::move(routes)}}).error_type;
    };
    CHECK(refused("123", route(100)) == "ValidationException");  // all digits would read as a version
    CHECK(refused("odd", json::array{json::object{{"stateMachineVersionArn", machine + ":1"}, {"weight", 90}}}) ==
          "ValidationException");
    CHECK(refused("twice", json::array{json::object{{"stateMachineVersionArn", machine + ":1"}, {"weight", 50}},
                                       json::object{{"stateMachineVersionArn", machine + ":1"}, {"weight", 50}}}) ==
          "ValidationException");
    CHECK(refused("missing", json::array{json::object{{"stateMachineVersionArn", machine + ":9"}, {"weight", 100}}}) ==
          "ResourceNotFound");
    CHECK(refused("empty", json::array{}) == "ValidationException");

    std::string on_prod = started_arn(client, prod);
    REQUIRE(wait_for_status(client, on_prod, "SUCCEEDED"));
    auto ran = client.ok("DescribeExecution", {{"executionArn", on_prod}});
    CHECK(ran.at("output") == "\"v1\"");
    CHECK(ran.at("stateMachineAliasArn") == json::value(prod));
    CHECK(ran.at("stateMachineVersionArn") == json::value(machine + ":1"));
    CHECK(client.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", machine + ":1"}}).error_type ==
          "ConflictException");

    // Half and half: 40 starts reach both versions (each misses with probability 2^-40).
    client.ok("UpdateStateMachineAlias", {{"stateMachineAliasArn", prod}, {"routingConfiguration", route(50)}});
    for (int i = 0; i < 40; ++i) started_arn(client, prod);
    CHECK(execution_count(client, prod) == 41);
    CHECK(execution_count(client, machine + ":1") > 1);
    CHECK(execution_count(client, machine + ":2") > 0);

    client.ok("CreateStateMachineAlias", {{"name", "BETA"}, {"routingConfiguration", route(0)}});
    auto for_v1 = client.ok("ListStateMachineAliases", {{"stateMachineArn", machine + ":1"}}).at("stateMachineAliases");
    REQUIRE(for_v1.as_array().size() == 2);  // BETA routes 0 % to version 1, and still names it
    CHECK(client.ok("ListStateMachineAliases", {{"stateMachineArn", machine}}).at("stateMachineAliases").as_array().size() == 2);
    CHECK(client.call("UpdateStateMachineAlias", {{"stateMachineAliasArn", prod}}).error_type == "ValidationException");
    client.ok("UpdateStateMachineAlias", {{"stateMachineAliasArn", machine + ":BETA"}, {"routingConfiguration",
                                          json::array{json::object{{"stateMachineVersionArn", machine + ":2"}, {"weight", 100}}}}});
    CHECK(client.ok("ListStateMachineAliases", {{"stateMachineArn", machine + ":1"}}).at("stateMachineAliases").as_array().size() == 1);
  }
  ApiServer restarted(dir.path() / "store");
  ApiClient client(restarted.port());
  auto described = client.ok("DescribeStateMachineAlias", {{"stateMachineAliasArn", prod}});
  CHECK(described.at("name") == "PROD");
  CHECK(described.at("description") == "live");
  CHECK(described.at("routingConfiguration") == json::value(route(50)));
  CHECK(client.ok("DescribeStateMachine", {{"stateMachineArn", machine + ":2"}}).at("definition") ==
        json::value(pass_result("v2")));

  client.ok("DeleteStateMachineAlias", {{"stateMachineAliasArn", prod}});
  CHECK(client.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", prod}}).error_type == "ResourceNotFound");
  CHECK(client.call("StartExecution", {{"stateMachineArn", prod}}).error_type == "StateMachineDoesNotExist");
  client.ok("DeleteStateMachineVersion", {{"stateMachineVersionArn", machine + ":1"}});

  // DeleteStateMachine takes its versions and aliases along: a new machine of the name has none.
  client.ok("DeleteStateMachine", {{"stateMachineArn", machine}});
  client.ok("CreateStateMachine", {{"name", "routed"}, {"definition", pass_result("v1")}, {"roleArn", kRole}});
  CHECK(client.ok("ListStateMachineVersions", {{"stateMachineArn", machine}}).at("stateMachineVersions").as_array().empty());
  CHECK(client.ok("ListStateMachineAliases", {{"stateMachineArn", machine}}).at("stateMachineAliases").as_array().empty());
  CHECK(client.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", machine + ":BETA"}}).error_type ==
        "ResourceNotFound");
}

TEST_CASE("server: a non-loopback address is refused without --no-auth") {
  auto result = test::run_flowstate({"server", "--listen", "0.0.0.0:0"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--no-auth") != std::string::npos);
}

}  // namespace
}  // namespace flowstate::cli
