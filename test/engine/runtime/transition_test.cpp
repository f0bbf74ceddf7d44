// Tests of the once-written state life cycle through whole executions: Wait (as clock
// arithmetic), Retry (back-off, jitter, which retrier decides, counters), Catch, the errors
// neither may touch, and the history each produces. Tasks are real task_double processes.
#include "engine/runtime/transition.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test/harness/run_machine.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::runtime {
namespace {

using test::run_machine;
using test::with_task_double;
using Types = std::vector<std::string>;

/// A machine whose state T is a command Task running task_double with `argv` (a YAML flow
/// sequence body) plus `fields`, then the Pass states Caught and Other when `fields` names them.
std::string task_machine(const std::string& argv, const std::string& fields) {
  return with_task_double(
      "StartAt: T\n"
      "States:\n"
      "  T:\n"
      "    Type: Task\n"
      "    Resource: arn:flowstate:::command\n"
      "    Parameters: {Command: [\"{td}\", " + argv + "]}\n" + fields +
      (fields.find("Caught") != std::string::npos ? "  Caught: {Type: Pass, End: true}\n" : "") +
      (fields.find("Other") != std::string::npos ? "  Other: {Type: Pass, Result: other, End: true}\n"
                                                 : ""));
}

const std::string kCustomFailure = R"(print, '{"Error":"Custom","Cause":"c"}', exit, "3")";

TEST_CASE("Wait: each form asks the clock for the right deadline", "[runtime][wait]") {
  auto [fields, input, seconds] = GENERATE(table<std::string, std::string, double>({
      {"Seconds: 5", "{}", 5.0},
      {"Seconds: 0", "{}", 0.0},
      {"SecondsPath: $.s", R"({"s":7})", 7.0},
      // The clock starts at 2024-01-02T03:04:05.678Z; Timestamps drop their milliseconds.
      {"Timestamp: '2024-01-02T03:05:05.999Z'", "{}", 59.322},
      {"TimestampPath: $.t", R"({"t":"2024-01-02T04:04:05+01:00"})", -0.678},
      {"Timestamp: '2020-01-01T00:00:00Z'", "{}", -126327845.678},
  }));
  CAPTURE(fields);
  auto run = run_machine("StartAt: W\nStates:\n  W: {Type: Wait, End: true, " + fields + "}\n",
                         input);
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == input);
  REQUIRE(run.sleeps.size() == 1);
  CHECK(run.sleeps[0] == Approx(seconds).margin(1e-6));
  CHECK(run.event_types() == Types{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                   "ExecutionSucceeded"});
}

TEST_CASE("Wait: Seconds count from when the state is entered", "[runtime][wait]") {
  auto run = run_machine(R"(
StartAt: W1
States:
  W1: {Type: Wait, Seconds: 5, Next: W2}
  W2: {Type: Wait, Timestamp: '2024-01-02T03:04:00Z', Next: W3}
  W3: {Type: Wait, Seconds: 3, Next: P}
  P: {Type: Pass, Parameters: {t.$: $$.State.EnteredTime, s.$: $$.Execution.StartTime}, End: true}
)");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  REQUIRE(run.sleeps.size() == 3);
  CHECK(run.sleeps[0] == 5.0);
  CHECK(run.sleeps[1] == Approx(-10.678).margin(1e-6));  // in the past: no wait
  CHECK(run.sleeps[2] == 3.0);
  CHECK(run.output() ==
        R"({"t":"2024-01-02T03:04:13.678Z","s":"2024-01-02T03:04:05.678Z"})");
}

TEST_CASE("Wait: an unusable SecondsPath or TimestampPath is States.Runtime", "[runtime][wait]") {
  auto [fields, input, cause] = GENERATE(table<std::string, std::string, std::string>({
      {"SecondsPath: $.s", R"({"s": -1})",
       "The SecondsPath parameter references a negative value: $.s == -1"},
      {"SecondsPath: $.s", R"({"s": "ten"})",
       "The SecondsPath parameter cannot be parsed as a long value: $.s == ten"},
      {"SecondsPath: $.x", "{}", "The SecondsPath parameter does not reference an input value: $.x"},
      {"TimestampPath: $.t", R"({"t": "2016-12-05T21:29:29"})",
       "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
       "date-time format string: $.t == 2016-12-05T21:29:29"},
  }));
  CAPTURE(fields, input);
  auto run = run_machine("StartAt: W\nStates:\n  W: {Type: Wait, End: true, " + fields + "}\n",
                         input);
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() ==
        "An error occurred while executing the state 'W' (entered at the event id #2). " + cause);
  CHECK(run.sleeps.empty());
}

TEST_CASE("Retry: IntervalSeconds grows by BackoffRate, capped by MaxDelaySeconds",
          "[runtime][retry]") {
  auto [retrier, sleeps] = GENERATE(table<std::string, std::vector<double>>({
      {"{ErrorEquals: [Custom], IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 3}", {3, 6, 12}},
      {"{ErrorEquals: [Custom], IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 3, "
       "MaxDelaySeconds: 5}",
       {3, 5, 5}},
      {"{ErrorEquals: [Custom]}", {1, 2, 4}},
      {"{ErrorEquals: [Custom], IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 2}", {2, 3}},
      {"{ErrorEquals: [Custom], MaxAttempts: 0}", {}},
      {"{ErrorEquals: [States.ALL], IntervalSeconds: 1, MaxAttempts: 1}", {1}},
      {"{ErrorEquals: [States.TaskFailed], IntervalSeconds: 1, MaxAttempts: 1}", {1}},
      {"{ErrorEquals: [Unrelated], IntervalSeconds: 1, MaxAttempts: 1}", {}},
  }));
  CAPTURE(retrier);
  auto run = run_machine(task_machine(kCustomFailure, "    End: true\n    Retry: [" + retrier + "]\n"));
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "Custom");
  CHECK(run.cause() == "c");
  CHECK(run.sleeps == sleeps);
  Types expected{"ExecutionStarted", "TaskStateEntered"};
  for (std::size_t attempt = 0; attempt <= sleeps.size(); ++attempt)
    expected.insert(expected.end(), {"TaskScheduled", "TaskStarted", "TaskFailed"});
  expected.push_back("ExecutionFailed");
  CHECK(run.event_types() == expected);
}

TEST_CASE("Retry: FULL jitter draws each delay between 0 and the backed-off delay, the same for a seed",
          "[runtime][retry]") {
  std::string machine = task_machine(
      kCustomFailure, "    End: true\n    Retry: [{ErrorEquals: [Custom], IntervalSeconds: 2, "
                      "BackoffRate: 2, MaxAttempts: 3, JitterStrategy: FULL}]\n");
  auto first = run_machine(machine, "{}", test::with_seed(7));
  auto again = run_machine(machine, "{}", test::with_seed(7));
  REQUIRE(first.sleeps.size() == 3);
  CHECK(first.sleeps == again.sleeps);
  const double bounds[] = {2, 4, 8};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(first.sleeps[i] >= 0.0);
    CHECK(first.sleeps[i] <= bounds[i]);
  }
  auto other = run_machine(machine, "{}", test::with_seed(8));
  CHECK(other.sleeps != first.sleeps);
}

TEST_CASE("Retry: the first matching retrier decides even when it is exhausted",
          "[runtime][retry]") {
  auto run = run_machine(task_machine(
      kCustomFailure,
      "    End: true\n"
      "    Retry:\n"
      "      - {ErrorEquals: [Custom], IntervalSeconds: 1, MaxAttempts: 1}\n"
      "      - {ErrorEquals: [States.ALL], IntervalSeconds: 10, MaxAttempts: 5}\n"
      "    Catch: [{ErrorEquals: [Custom], Next: Caught}]\n"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.sleeps == std::vector<double>{1});
  CHECK(run.output() == R"({"Error":"Custom","Cause":"c"})");
}

TEST_CASE("Retry: each retrier counts its own attempts, and RetryCount counts them all",
          "[runtime][retry]") {
  test::TempDir dir;
  // Attempts 1 and 3 fail with ErrA, attempt 2 with ErrB, attempt 4 prints its stdin.
  std::string script = "n=$(cat " + (dir / "count").string() + " 2>/dev/null || echo 0); " +
                       "n=$((n+1)); echo $n > " + (dir / "count").string() + "; " +
                       "case $n in 1|3) echo '{\"Error\":\"ErrA\"}'; exit 1;; "
                       "2) echo '{\"Error\":\"ErrB\"}'; exit 1;; *) cat;; esac";
  auto run = run_machine(R"(
StartAt: T
States:
  T:
    Type: Task
    Resource: arn:flowstate:::command
    Parameters:
      Shell: true
      Command: |-
        )" + script + R"(
      Input: {retries.$: $$.State.RetryCount, entered.$: $$.State.EnteredTime}
    Retry:
      - {ErrorEquals: [ErrA], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2}
      - {ErrorEquals: [ErrB], IntervalSeconds: 10, MaxAttempts: 1}
    End: true
)");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.sleeps == std::vector<double>{1, 10, 2});
  // EnteredTime is not reset by retries: no new TaskStateEntered.
  CHECK(run.output() == R"({"retries":3,"entered":"2024-01-02T03:04:05.678Z"})");
}

TEST_CASE("Retry: States.Runtime is never retried nor caught, not even by name",
          "[runtime][retry][catch]") {
  auto run = run_machine(task_machine(
      R"(print, '{"a":1}')",
      "    OutputPath: $.missing\n"
      "    End: true\n"
      "    Retry: [{ErrorEquals: [States.ALL]}]\n"
      "    Catch: [{ErrorEquals: [States.Runtime], Next: Caught}, "
      "{ErrorEquals: [States.ALL], Next: Other}]\n"));
  CHECK(run.status() == ExecutionStatus::failed);
  CHECK(run.error() == "States.Runtime");
  CHECK(run.cause() == "An error occurred while executing the state 'T' (entered at the event "
                       "id #2). Invalid path '$.missing' : No results for path: $['missing']");
  CHECK(run.sleeps.empty());
  CHECK(run.event_types() == Types{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                   "TaskStarted", "TaskSucceeded", "ExecutionFailed"});
}

TEST_CASE("Catch: States.TaskFailed does not match States.Timeout", "[runtime][catch]") {
  auto run = run_machine(task_machine(
      R"(sleep, "30000")",
      "    TimeoutSeconds: 1\n"
      "    End: true\n"
      "    Catch: [{ErrorEquals: [States.TaskFailed], Next: Other}, "
      "{ErrorEquals: [States.Timeout], Next: Caught}]\n"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"Error":"States.Timeout","Cause":"command timed out after 1 second )"
                        "(TimeoutSeconds)\"}");
  CHECK(run.event_types() == Types{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                   "TaskStarted", "TaskTimedOut", "TaskStateExited",
                                   "PassStateEntered", "PassStateExited", "ExecutionSucceeded"});
}

TEST_CASE("Catch: the error output replaces the input, or goes where ResultPath says",
          "[runtime][catch]") {
  auto [catcher, expected] = GENERATE(table<std::string, std::string>({
      {"{ErrorEquals: [Custom], Next: Caught}", R"({"Error":"Custom","Cause":"c"})"},
      {"{ErrorEquals: [States.ALL], Next: Caught, ResultPath: $.error}",
       R"({"keep":1,"error":{"Error":"Custom","Cause":"c"}})"},
      {"{ErrorEquals: [States.TaskFailed], Next: Caught, ResultPath: null}", R"({"keep":1})"},
      {"{ErrorEquals: [Nope], Next: Other}, {ErrorEquals: [Custom], Next: Caught, "
       "ResultPath: $.keep}",
       R"({"keep":{"Error":"Custom","Cause":"c"}})"},
  }));
  CAPTURE(catcher);
  auto run = run_machine(task_machine(kCustomFailure, "    End: true\n    Catch: [" + catcher + "]\n"),
                         R"({"keep":1})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == expected);
  const HistoryEvent* exited = run.first_event("TaskStateExited");
  REQUIRE(exited != nullptr);
  CHECK(exited->details.at("output").as_string() == expected);
}

TEST_CASE("Catch: a task result over 256 KiB is DataLimitExceeded, which States.ALL catches",
          "[runtime][catch]") {
  auto run = run_machine(task_machine(R"(big-out, "300000")",
                                      "    End: true\n"
                                      "    Catch: [{ErrorEquals: [States.ALL], Next: Caught}]\n"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"Error":"States.DataLimitExceeded","Cause":"The state/task 'T' )"
                        R"(returned a result with a size exceeding the maximum number of bytes )"
                        R"(service limit."})");
}

TEST_CASE("Task: a successful command's stdout is the result and its stderr the log",
          "[runtime][task]") {
  auto run = run_machine(task_machine(R"(stderr, "hello log", print, '{"n":[1,2.0]}')",
                                      "    ResultSelector: {first.$: '$.n[0]'}\n"
                                      "    ResultPath: $.r\n"
                                      "    End: true\n"),
                         R"({"in":true})");
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.output() == R"({"in":true,"r":{"first":1}})");
  CHECK(run.logs == std::vector<std::string>{"[T] hello log"});
  CHECK(run.event_chain() ==
        Types{"ExecutionStarted(1,0)", "TaskStateEntered(2,0)", "TaskScheduled(3,2)",
              "TaskStarted(4,3)", "TaskSucceeded(5,4)", "TaskStateExited(6,5)",
              "ExecutionSucceeded(7,6)"});
  const HistoryEvent* scheduled = run.first_event("TaskScheduled");
  REQUIRE(scheduled != nullptr);
  CHECK(scheduled->details.at("resource").as_string() == "arn:flowstate:::command");
  CHECK(run.first_event("TaskSucceeded")->details.at("output").as_string() == R"({"n":[1,2.0]})");
}

TEST_CASE("Task: a retried and then caught failure records one triple per attempt",
          "[runtime][task][retry][catch]") {
  auto run = run_machine(task_machine(
      kCustomFailure, "    End: true\n"
                      "    Retry: [{ErrorEquals: [Custom], MaxAttempts: 1}]\n"
                      "    Catch: [{ErrorEquals: [Custom], Next: Caught}]\n"));
  REQUIRE(run.status() == ExecutionStatus::succeeded);
  CHECK(run.event_chain() ==
        Types{"ExecutionStarted(1,0)", "TaskStateEntered(2,0)", "TaskScheduled(3,2)",
              "TaskStarted(4,3)", "TaskFailed(5,4)", "TaskScheduled(6,5)", "TaskStarted(7,6)",
              "TaskFailed(8,7)", "TaskStateExited(9,8)", "PassStateEntered(10,9)",
              "PassStateExited(11,10)", "ExecutionSucceeded(12,11)"});
  CHECK(data::serialize_json(run.first_event("TaskFailed")->details) ==
        R"({"error":"Custom","cause":"c","resourceType":"flowstate",)"
        R"("resource":"arn:flowstate:::command"})");
}

}  // namespace
}  // namespace flowstate::runtime
