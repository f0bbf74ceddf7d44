// End-to-end tests of the Map Run actions of `flowstate server` (ListMapRuns, DescribeMapRun,
// UpdateMapRun): the real binary on a real store, spoken to over loopback sockets
// (test/harness/api_server.hpp), with Distributed Maps whose children wait, so that their Map
// Run is seen RUNNING before it ends.
#include <signal.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test/harness/api_server.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace json = boost::json;
using test::ApiClient;
using test::ApiServer;
using test::TempDir;

// A Distributed Map over the input's items: each child waits `seconds`, then fails (Error
// "Bad") when its item is negative. `limits` are more fields of the Map state.
std::string distributed_map(int seconds, std::string_view limits) {
  return fmt::format(
      R"({{"StartAt":"M","States":{{"M":{{"Type":"Map",{}"ItemProcessor":{{"ProcessorConfig":)"
      R"({{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}},"StartAt":"W","States":{{)"
      R"("W":{{"Type":"Wait","Seconds":{},"Next":"C"}},)"
      R"("C":{{"Type":"Choice","Choices":[{{"Variable":"$","NumericLessThan":0,"Next":"F"}}],"Default":"S"}},)"
      R"("F":{{"Type":"Fail","Error":"Bad"}},"S":{{"Type":"Succeed"}}}}}},"End":true}}}}}})",
      limits, seconds);
}

// Creates the state machine `name` and starts it on `input`; returns the execution's ARN.
std::string start(ApiClient& client, std::string_view name, const std::string& definition, std::string_view input) {
  client.ok("CreateStateMachine", {{"name", name},
                                   {"definition", definition},
                                   {"roleArn", "arn:aws:iam::123456789012:role/flowstate"}});
  auto started = client.ok("StartExecution",
                           {{"stateMachineArn", fmt::format("arn:aws:states:us-east-1:123456789012:stateMachine:{}", name)},
                            {"input", input}});
  return std::string(started.at("executionArn").as_string());
}

// Calls DescribeMapRun until `done` holds for its answer (true) or 20 seconds pass.
bool describe_until(ApiClient& client, const std::string& map_run,
                    const std::function<bool(const json::object&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done(client.ok("DescribeMapRun", {{"mapRunArn", map_run}}))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The only Map Run of `execution`, once it started.
std::string only_map_run(ApiClient& client, const std::string& execution) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto runs = client.ok("ListMapRuns", {{"executionArn", execution}}).at("mapRuns").as_array();
    if (!runs.empty()) {
      REQUIRE(runs.size() == 1);
      return std::string(runs[0].at("mapRunArn").as_string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("no Map Run started");
  return {};
}

std::int64_t count(const json::object& described, std::string_view counts, std::string_view member) {
  return described.at(counts).at(member).as_int64();
}

TEST_CASE("server: ListMapRuns and DescribeMapRun follow a Distributed Map from RUNNING to SUCCEEDED") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  std::string execution =
      start(client, "fan", distributed_map(1, R"("MaxConcurrency":2,"ToleratedFailureCount":1,)"), "[1, -2, 3, 4]");
  std::string map_run = only_map_run(client, execution);
  CHECK(map_run.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:fan/"));

  auto listed = client.ok("ListMapRuns", {{"executionArn", execution}}).at("mapRuns").as_array()[0].as_object();
  CHECK(listed.at("executionArn") == json::value(execution));
  CHECK(listed.at("stateMachineArn").as_string().starts_with("arn:aws:states:us-east-1:123456789012:stateMachine:fan/"));
  CHECK(listed.contains("startDate"));
  CHECK(!listed.contains("stopDate"));

  // The first two children wait; the other two items are not started yet.
  auto running = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
  CHECK(running.at("status") == "RUNNING");
  CHECK(running.at("executionArn") == json::value(execution));
  CHECK(running.at("maxConcurrency") == 2);
  CHECK(running.at("toleratedFailureCount") == 1);
  CHECK(running.at("toleratedFailurePercentage").to_number<double>() == 0.0);
  CHECK(running.at("redriveCount") == 0);
  CHECK(!running.contains("stopDate"));
  CHECK(count(running, "itemCounts", "running") == 2);
  CHECK(count(running, "itemCounts", "pending") == 2);
  CHECK(count(running, "itemCounts", "total") == 4);
  CHECK(count(running, "executionCounts", "running") == 2);
  CHECK(count(running, "executionCounts", "pending") == 0);
  CHECK(count(running, "executionCounts", "total") == 2);

  REQUIRE(describe_until(client, map_run, [](const json::object& d) { return d.at("status") != "RUNNING"; }));
  auto done = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
  CHECK(done.at("status") == "SUCCEEDED");
  CHECK(done.at("stopDate").to_number<double>() >= done.at("startDate").to_number<double>());
  for (std::string_view counts : {"itemCounts", "executionCounts"}) {
    CHECK(count(done, counts, "succeeded") == 3);
    CHECK(count(done, counts, "failed") == 1);
    CHECK(count(done, counts, "running") == 0);
    CHECK(count(done, counts, "pending") == 0);
    CHECK(count(done, counts, "total") == 4);
    CHECK(count(done, counts, "resultsWritten") == 0);
    CHECK(count(done, counts, "pendingRedrive") == 0);
  }
  // The execution SUCCEEDED with the failure tolerated: nothing can redrive that child now.
  REQUIRE(describe_until(client, map_run, [&](const json::object&) {
    return client.ok("DescribeExecution", {{"executionArn", execution}}).at("status") == "SUCCEEDED";
  }));
  CHECK(count(client.ok("DescribeMapRun", {{"mapRunArn", map_run}}), "itemCounts", "failuresNotRedrivable") == 1);
  CHECK(client.ok("ListMapRuns", {{"executionArn", execution}}).at("mapRuns").as_array()[0].as_object().contains(
      "stopDate"));
  CHECK(client.ok("ListExecutions", {{"mapRunArn", map_run}}).at("executions").as_array().size() == 4);

  auto finished = client.call("UpdateMapRun", {{"mapRunArn", map_run}, {"maxConcurrency", 5}});
  CHECK(finished.error_type == "ValidationException");
  CHECK(finished.body.at("reason") == "CANNOT_UPDATE_COMPLETED_MAP_RUN");
  CHECK(finished.body.at("message") ==
        json::value(fmt::format("Map Run '{}' is SUCCEEDED and can no longer be updated", map_run)));

  std::string unknown = map_run.substr(0, map_run.rfind(':')) + ":00000000-0000-5000-8000-000000000000";
  auto missing = client.call("DescribeMapRun", {{"mapRunArn", unknown}});
  CHECK(missing.error_type == "ResourceNotFound");
  CHECK(missing.body.at("message") == json::value(fmt::format("Could not find the referenced resource: '{}'", unknown)));
  CHECK(client.call("UpdateMapRun", {{"mapRunArn", unknown}}).error_type == "ResourceNotFound");
  CHECK(client.call("DescribeMapRun", {{"mapRunArn", execution}}).error_type == "InvalidArn");
  CHECK(client.call("ListMapRuns", {{"executionArn", map_run}}).error_type == "InvalidArn");
  CHECK(client.call("ListMapRuns", {{"executionArn", execution + "x"}}).error_type == "ExecutionDoesNotExist");
}

TEST_CASE("server: a Map Run whose failures exceed ToleratedFailureCount is FAILED") {
  TempDir dir;
  ApiServer server(dir.path() / "store");
  ApiClient client(server.port());
  std::string execution = start(client, "strict", distributed_map(0, R"("ToleratedFailureCount":1,)"), "[-1, -2, 3]");
  std::string map_run = only_map_run(client, execution);
  REQUIRE(describe_until(client, map_run, [](const json::object& d) { return d.at("status") == "FAILED"; }));
  auto failed = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
  CHECK(failed.at("toleratedFailureCount") == 1);
  CHECK(failed.at("maxConcurrency") == 0);
  CHECK(count(failed, "itemCounts", "failed") == 2);
  CHECK(count(failed, "itemCounts", "total") == 3);
  // The failed execution can be redriven, so its failed children can too.
  CHECK(count(failed, "itemCounts", "failuresNotRedrivable") == 0);
  CHECK(client.ok("DescribeExecution", {{"executionArn", execution}}).at("error") ==
        "States.ExceedToleratedFailureThreshold");
}

TEST_CASE("server: UpdateMapRun raises a running Map Run's concurrency and its new limits survive kill -9") {
  TempDir dir;
  std::string map_run;
  {
    ApiServer server(dir.path() / "store");
    ApiClient client(server.port());
    std::string execution = start(client, "narrow", distributed_map(2, R"("MaxConcurrency":1,)"), "[1, 2, 3, 4]");
    map_run = only_map_run(client, execution);
    auto one = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
    CHECK(count(one, "itemCounts", "running") == 1);
    CHECK(count(one, "itemCounts", "pending") == 3);

    auto invalid = client.call("UpdateMapRun", {{"mapRunArn", map_run},
                                                {"maxConcurrency", -1},
                                                {"toleratedFailurePercentage", 100.5}});
    CHECK(invalid.error_type == "ValidationException");
    CHECK(invalid.body.at("message") ==
          "2 validation errors detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: Member must "
          "have value greater than or equal to 0; Value '100.5' at 'toleratedFailurePercentage' failed to satisfy "
          "constraint: Member must have value less than or equal to 100");

    CHECK(client.ok("UpdateMapRun", {{"mapRunArn", map_run}, {"maxConcurrency", 2}, {"toleratedFailurePercentage", 50}})
              .empty());
    REQUIRE(describe_until(client, map_run, [](const json::object& d) { return count(d, "itemCounts", "running") == 2; }));
    auto updated = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
    CHECK(updated.at("maxConcurrency") == 2);
    CHECK(updated.at("toleratedFailurePercentage").to_number<double>() == 50.0);
    CHECK(updated.at("toleratedFailureCount") == 0);
    server.process().signal(SIGKILL);
    server.process().finish();
  }
  // The resumed Map Run runs the last two items together, which the definition's limit of 1
  // would run one after the other.
  ApiServer restarted(dir.path() / "store");
  ApiClient client(restarted.port());
  auto resumed = client.ok("DescribeMapRun", {{"mapRunArn", map_run}});
  CHECK(resumed.at("maxConcurrency") == 2);
  CHECK(resumed.at("toleratedFailurePercentage").to_number<double>() == 50.0);
  REQUIRE(describe_until(client, map_run, [](const json::object& d) {
    return count(d, "itemCounts", "succeeded") == 2 && count(d, "itemCounts", "running") == 2;
  }));
  REQUIRE(describe_until(client, map_run, [](const json::object& d) { return d.at("status") == "SUCCEEDED"; }));
  CHECK(count(client.ok("DescribeMapRun", {{"mapRunArn", map_run}}), "itemCounts", "succeeded") == 4);
}

}  // namespace
}  // namespace flowstate::cli
