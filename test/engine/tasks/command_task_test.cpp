// Tests of the arn:flowstate:::command contract with real child processes (task_double and
// /bin/sh): results, stdin, environment, exit codes, limits, cancellation and cleanup.
#include "engine/tasks/command_task.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::tasks {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// task_double's argv: its path, then `arguments`.
json::array task_double(std::initializer_list<std::string_view> arguments) {
  json::array argv{FLOWSTATE_TASK_DOUBLE};
  for (std::string_view argument : arguments) argv.emplace_back(argument);
  return argv;
}

json::value parse(std::string_view text) {
  auto parsed = data::parse_json(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

TaskRequest request_for(json::value parameters) {
  TaskRequest request;
  request.resource = std::string(kCommandResource);
  request.state_name = "Work";
  request.parameters = std::move(parameters);
  return request;
}

TaskRequest request_for(json::array command) {
  return request_for(json::value(json::object{{"Command", std::move(command)}}));
}

/// Runs one coroutine to completion on a fresh io_context; its exception reaches the test.
template <typename T>
T run_coroutine(asio::awaitable<T> awaitable) {
  asio::io_context io;
  std::optional<T> result;
  asio::co_spawn(io, std::move(awaitable), [&](std::exception_ptr error, T value) {
    if (error) std::rethrow_exception(error);
    result = std::move(value);
  });
  io.run();
  return std::move(*result);
}

TaskResult run_task(TaskRequest request, CommandTaskOptions options = {}) {
  CommandTask task(options);
  return run_coroutine(task.run(std::move(request)));
}

asl::Failure failure(std::string_view error, std::string_view cause) {
  return asl::make_failure(std::string(error), std::string(cause));
}

/// The pids a task_double reports on stderr ("pid N", "grandchild N"), collected via on_log.
struct ReportedPids {
  pid_t child = 0;
  pid_t grandchild = 0;

  void record(std::string_view line) {
    auto number = [&](std::string_view prefix) {
      return static_cast<pid_t>(std::stol(std::string(line.substr(prefix.size()))));
    };
    if (line.starts_with("pid ")) child = number("pid ");
    if (line.starts_with("grandchild ")) grandchild = number("grandchild ");
  }
};

/// Our own child must be reaped: a zombie still answers kill(pid, 0).
bool reaped(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

/// A grandchild is gone when it no longer exists or is a zombie waiting for init to reap it
/// (some container inits never do).
bool gone(pid_t pid) {
  if (reaped(pid)) return true;
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

/// A fresh directory under the system's temporary directory, removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "flowstate-XXXXXX").string();
    path = std::filesystem::canonical(::mkdtemp(pattern.data()));
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

void write_file(const std::filesystem::path& path, std::string_view text, mode_t mode) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
}

TEST_CASE("CommandTask: stdout that parses as JSON is the result", "[tasks]") {
  auto result = run_task(request_for(task_double({"print", R"( {"a": [1, 2.5, "x"]} )"})));
  REQUIRE(result.has_value());
  CHECK(*result == parse(R"({"a":[1,2.5,"x"]})"));

  result = run_task(request_for(task_double({"print", "42\n"})));
  REQUIRE(result.has_value());
  CHECK(*result == json::value(42));
}

TEST_CASE("CommandTask: stdout that is not JSON is the trimmed text as a string", "[tasks]") {
  auto result = run_task(request_for(task_double({"print", "  hello world\n\n"})));
  REQUIRE(result.has_value());
  CHECK(*result == json::value("hello world"));
}

TEST_CASE("CommandTask: empty or blank stdout is null", "[tasks]") {
  auto empty = run_task(request_for(task_double({})));
  REQUIRE(empty.has_value());
  CHECK(empty->is_null());
  auto blank = run_task(request_for(task_double({"print", " \n\t"})));
  REQUIRE(blank.has_value());
  CHECK(blank->is_null());
}

TEST_CASE("CommandTask: stdin receives the whole effective input by default", "[tasks]") {
  json::value parameters = json::object{{"Command", task_double({"echo"})}, {"n", 1.5}};
  auto result = run_task(request_for(parameters));
  REQUIRE(result.has_value());
  CHECK(*result == parameters);
}

TEST_CASE("CommandTask: stdin receives Input when it is given", "[tasks]") {
  json::value object_input = parse(R"({"x": [1, 2], "y": null})");
  json::value parameters = json::object{{"Command", task_double({"echo"})}, {"Input", object_input}};
  auto result = run_task(request_for(parameters));
  REQUIRE(result.has_value());
  CHECK(*result == object_input);

  parameters.as_object()["Input"] = "text";
  result = run_task(request_for(parameters));
  REQUIRE(result.has_value());
  CHECK(*result == json::value("text"));
}

TEST_CASE("CommandTask: a string Command runs through /bin/sh -c with Shell true", "[tasks]") {
  auto result = run_task(request_for(parse(R"({"Command": "echo '[1,' 2]", "Shell": true})")));
  REQUIRE(result.has_value());
  CHECK(*result == parse("[1,2]"));
}

TEST_CASE("CommandTask: Env is added to the inherited environment", "[tasks]") {
  json::value parameters = parse(R"({
    "Command": "printf '%s|%s|%s' \"$FLOWSTATE_A\" \"$HOME\" \"$PATH\"", "Shell": true,
    "Env": {"FLOWSTATE_A": "one two", "HOME": "/flowstate-home"}})");
  auto result = run_task(request_for(parameters));
  REQUIRE(result.has_value());
  CHECK(*result == json::value(std::string("one two|/flowstate-home|") + ::getenv("PATH")));
}

TEST_CASE("CommandTask: WorkingDirectory is where the command runs", "[tasks]") {
  TempDir dir;
  write_file(dir.path / "script", "#!/bin/sh\nprintf '\"%s\"' \"$(pwd)\"\n", 0755);

  SECTION("a shell command sees it as its current directory") {
    json::value parameters = json::object{
        {"Command", "pwd"}, {"Shell", true}, {"WorkingDirectory", dir.path.string()}};
    auto result = run_task(request_for(parameters));
    REQUIRE(result.has_value());
    CHECK(*result == json::value(dir.path.string()));
  }
  SECTION("a relative program path resolves against it") {
    json::value parameters = json::object{{"Command", json::array{"./script"}},
                                          {"WorkingDirectory", dir.path.string()}};
    auto result = run_task(request_for(parameters));
    REQUIRE(result.has_value());
    CHECK(*result == json::value(dir.path.string()));
  }
  SECTION("a missing one fails the task before anything runs") {
    json::value parameters = json::object{{"Command", task_double({})},
                                          {"WorkingDirectory", (dir.path / "nope").string()}};
    auto result = run_task(request_for(parameters));
    REQUIRE(result.has_error());
    CHECK(result.error() ==
          failure("States.TaskFailed", "cannot use working directory '" +
                                           (dir.path / "nope").string() +
                                           "': No such file or directory"));
  }
}

TEST_CASE("CommandTask: a non-zero exit fails with the stderr tail as cause", "[tasks]") {
  auto result = run_task(
      request_for(task_double({"stderr", "first", "stderr", "second problem", "exit", "2"})));
  REQUIRE(result.has_error());
  CHECK(result.error() == failure("States.TaskFailed", "first\nsecond problem"));
}

TEST_CASE("CommandTask: a non-zero exit without stderr names the status", "[tasks]") {
  auto result = run_task(request_for(task_double({"print", "not json", "exit", "3"})));
  REQUIRE(result.has_error());
  CHECK(result.error() == failure("States.TaskFailed", "command exited with status 3"));
}

TEST_CASE("CommandTask: the stderr tail keeps the last 20 lines and at most 4 KiB", "[tasks]") {
  auto lines = run_task(request_for(task_double({"err-lines", "100", "exit", "1"})));
  REQUIRE(lines.has_error());
  std::string expected;
  for (int line = 80; line < 100; ++line) expected += "line " + std::to_string(line) + "\n";
  expected.pop_back();
  CHECK(lines.error().cause == expected);

  std::string long_line = "start" + std::string(10000, 'y');
  auto bytes = run_task(request_for(task_double({"stderr", long_line, "exit", "1"})));
  REQUIRE(bytes.has_error());
  CHECK(bytes.error().cause == std::string(4096, 'y'));
}

TEST_CASE("CommandTask: stdout {\"Error\", \"Cause\"} on a non-zero exit names the error",
          "[tasks]") {
  auto named = run_task(request_for(
      task_double({"stderr", "log", "print", R"({"Error":"Oops","Cause":"it broke"})", "exit",
                   "3"})));
  REQUIRE(named.has_error());
  CHECK(named.error() == failure("Oops", "it broke"));

  auto without_cause = run_task(request_for(task_double({"print", R"({"Error":"Oops"})", "exit", "1"})));
  REQUIRE(without_cause.has_error());
  CHECK(without_cause.error() == asl::Failure{"Oops", std::nullopt});

  auto json_cause =
      run_task(request_for(task_double({"print", R"({"Error":"E","Cause":{"a":1}})", "exit", "1"})));
  REQUIRE(json_cause.has_error());
  CHECK(json_cause.error() == failure("E", R"({"a":1})"));

  auto not_a_name = run_task(request_for(task_double({"print", R"({"Error":7})", "exit", "1"})));
  REQUIRE(not_a_name.has_error());
  CHECK(not_a_name.error() == failure("States.TaskFailed", "command exited with status 1"));
}

TEST_CASE("CommandTask: stdout {\"Error\"} on a zero exit is an ordinary result", "[tasks]") {
  auto result = run_task(request_for(task_double({"print", R"({"Error":"Oops"})"})));
  REQUIRE(result.has_value());
  CHECK(*result == parse(R"({"Error":"Oops"})"));
}

TEST_CASE("CommandTask: a command killed by a signal fails naming the signal", "[tasks]") {
  auto killed = run_task(request_for(task_double({"raise", "9"})));
  REQUIRE(killed.has_error());
  CHECK(killed.error() == failure("States.TaskFailed", "command was killed by signal 9 (SIGKILL)"));

  auto with_log = run_task(request_for(task_double({"stderr", "dying", "raise", "15"})));
  REQUIRE(with_log.has_error());
  CHECK(with_log.error() ==
        failure("States.TaskFailed", "command was killed by signal 15 (SIGTERM); stderr:\ndying"));
}

TEST_CASE("CommandTask: a program that cannot run fails the task", "[tasks]") {
  SECTION("a name not found in PATH") {
    auto result = run_task(request_for(json::array{"flowstate-no-such-program", "x"}));
    REQUIRE(result.has_error());
    CHECK(result.error() == failure("States.TaskFailed",
                                    "cannot run 'flowstate-no-such-program': No such file or "
                                    "directory"));
  }
  SECTION("a path that does not exist") {
    auto result = run_task(request_for(json::array{"/nonexistent/flowstate-program"}));
    REQUIRE(result.has_error());
    CHECK(result.error() == failure("States.TaskFailed",
                                    "cannot run '/nonexistent/flowstate-program': No such file "
                                    "or directory"));
  }
  SECTION("a file that is not executable") {
    TempDir dir;
    write_file(dir.path / "data.txt", "hello\n", 0644);
    std::string path = (dir.path / "data.txt").string();
    auto result = run_task(request_for(json::array{json::string(path)}));
    REQUIRE(result.has_error());
    CHECK(result.error() ==
          failure("States.TaskFailed", "cannot run '" + path + "': Permission denied"));
  }
}

TEST_CASE("CommandTask: invalid parameters fail with a cause naming the field", "[tasks]") {
  auto [parameters, cause] = GENERATE(table<std::string, std::string>({
      {R"("echo")",
       R"(command task: the effective input must be a JSON object with a "Command" field, got string)"},
      {R"({})",
       R"(command task: "Command" is missing; give an array of strings (argv), or a string with "Shell": true)"},
      {R"({"Command": "echo hi"})",
       R"(command task: "Command" is a string, which runs only with "Shell": true; give an array of strings (argv) or set "Shell": true)"},
      {R"({"Command": 5})",
       R"(command task: "Command" must be an array of strings (argv), or a string with "Shell": true; got number)"},
      {R"({"Command": []})", R"(command task: "Command" must not be empty)"},
      {R"({"Command": ["echo", 1]})", R"(command task: "Command[1]" must be a string, got number)"},
      {R"({"Command": ["a\u0000b"]})", R"(command task: "Command[0]" contains a NUL character)"},
      {R"({"Command": ["echo"], "Shell": true})",
       R"(command task: "Shell": true needs "Command" as a string)"},
      {R"({"Command": "echo", "Shell": "yes"})",
       R"(command task: "Shell" must be a boolean, got string)"},
      {R"({"Command": ["echo"], "Env": ["A=1"]})",
       R"(command task: "Env" must be an object of strings, got array)"},
      {R"({"Command": ["echo"], "Env": {"A": 1}})",
       R"(command task: "Env.A" must be a string, got number)"},
      {R"({"Command": ["echo"], "Env": {"A=B": "1"}})",
       R"(command task: "Env" names must be non-empty and contain no '=' or NUL, got "A=B")"},
      {R"({"Command": ["echo"], "WorkingDirectory": null})",
       R"(command task: "WorkingDirectory" must be a string, got null)"},
  }));
  CAPTURE(parameters);
  auto result = run_task(request_for(parse(parameters)));
  REQUIRE(result.has_error());
  CHECK(result.error() == failure("States.TaskFailed", cause));
}

TEST_CASE("CommandTask: each stderr line reaches on_log as it arrives", "[tasks]") {
  TaskRequest request = request_for(task_double({"stderr", "first", "stderr", "second"}));
  std::vector<std::string> lines;
  request.on_log = [&](std::string_view line) { lines.emplace_back(line); };
  auto result = run_task(std::move(request));
  REQUIRE(result.has_value());
  CHECK(lines == std::vector<std::string>{"first", "second"});
}

TEST_CASE("CommandTask: large stdin, stdout and stderr do not deadlock", "[tasks]") {
  SECTION("2 MiB on stdout after 20000 lines on stderr") {
    TaskRequest request = request_for(task_double({"err-lines", "20000", "big-out", "2097152"}));
    std::size_t lines = 0;
    request.on_log = [&](std::string_view) { ++lines; };
    auto result = run_task(std::move(request));
    REQUIRE(result.has_value());
    CHECK(result->as_string().size() == 2097152);
    CHECK(lines == 20000);
  }
  SECTION("1.5 MiB through stdin and back") {
    json::value parameters = json::object{{"Command", task_double({"echo"})},
                                          {"Input", std::string(1572864, 'z')}};
    auto result = run_task(request_for(parameters));
    REQUIRE(result.has_value());
    CHECK(*result == parameters.at("Input"));
  }
}

TEST_CASE("CommandTask: a command that does not read its stdin still succeeds", "[tasks]") {
  json::value parameters = json::object{{"Command", task_double({"print", "done"})},
                                        {"Input", std::string(1048576, 'z')}};
  auto result = run_task(request_for(parameters));
  REQUIRE(result.has_value());
  CHECK(*result == json::value("done"));
}

TEST_CASE("CommandTask: commands get SIGPIPE's default disposition", "[tasks]") {
  // With SIGPIPE ignored, `yes` would see EPIPE and complain on stderr instead of dying.
  TaskRequest request = request_for(parse(R"({"Command": "yes | head -n 1", "Shell": true})"));
  std::vector<std::string> lines;
  request.on_log = [&](std::string_view line) { lines.emplace_back(line); };
  auto result = run_task(std::move(request));
  REQUIRE(result.has_value());
  CHECK(*result == json::value("y"));
  CHECK(lines.empty());
}

TEST_CASE("CommandTask: a timeout kills the whole process group", "[tasks]") {
  CommandTaskOptions options;
  std::vector<std::string> arguments = {"pid", "grandchild", "sleep", "60000"};
  SECTION("children that stop on SIGTERM") {}
  SECTION("a child that ignores SIGTERM is killed after the grace period") {
    options.kill_grace = 200ms;
    arguments.insert(arguments.begin(), "ignore-term");
  }
  json::array argv{FLOWSTATE_TASK_DOUBLE};
  for (const auto& argument : arguments) argv.emplace_back(argument);
  TaskRequest request = request_for(std::move(argv));
  request.timeout = 1s;
  ReportedPids pids;
  request.on_log = [&](std::string_view line) { pids.record(line); };

  auto started = Clock::now();
  auto result = run_task(std::move(request), options);
  REQUIRE(result.has_error());
  CHECK(result.error() ==
        failure("States.Timeout", "command timed out after 1 second (TimeoutSeconds)"));
  CHECK(Clock::now() - started < 30s);
  REQUIRE(pids.child > 0);
  REQUIRE(pids.grandchild > 0);
  CHECK(reaped(pids.child));
  CHECK(gone(pids.grandchild));
}

TEST_CASE("CommandTask: lines of output are heartbeats", "[tasks]") {
  SECTION("on stderr") {
    TaskRequest request = request_for(task_double({"beat", "15", "100"}));
    request.heartbeat = 1s;
    auto result = run_task(std::move(request));
    REQUIRE(result.has_value());
  }
  SECTION("on stdout") {
    TaskRequest request = request_for(parse(R"({"Shell": true, "Command":
        "i=0; while [ $i -lt 15 ]; do echo $i; sleep 0.1; i=$((i+1)); done"})"));
    request.heartbeat = 1s;
    auto result = run_task(std::move(request));
    REQUIRE(result.has_value());
  }
}

TEST_CASE("CommandTask: silence longer than the heartbeat kills the group", "[tasks]") {
  TaskRequest request = request_for(task_double({"pid", "grandchild", "sleep", "60000"}));
  request.heartbeat = 1s;
  request.timeout = 60s;
  ReportedPids pids;
  request.on_log = [&](std::string_view line) { pids.record(line); };
  auto started = Clock::now();
  auto result = run_task(std::move(request));
  REQUIRE(result.has_error());
  CHECK(result.error() ==
        failure("States.Timeout",
                "command sent no heartbeat for 1 second (HeartbeatSeconds): no line on stdout or "
                "stderr"));
  CHECK(Clock::now() - started < 30s);
  CHECK(reaped(pids.child));
  CHECK(gone(pids.grandchild));
}

TEST_CASE("CommandTask: processes the command leaves behind are stopped when it exits",
          "[tasks]") {
  TaskRequest request = request_for(task_double({"pid", "grandchild", "print", "1"}));
  ReportedPids pids;
  request.on_log = [&](std::string_view line) { pids.record(line); };
  auto started = Clock::now();
  auto result = run_task(std::move(request));
  REQUIRE(result.has_value());
  CHECK(*result == json::value(1));
  CHECK(Clock::now() - started < 30s);
  CHECK(reaped(pids.child));
  CHECK(gone(pids.grandchild));
}

TEST_CASE("CommandTask: losing a || race kills the process group", "[tasks]") {
  CommandTask task;
  TaskRequest request = request_for(task_double({"pid", "grandchild", "sleep", "60000"}));
  ReportedPids pids;
  request.on_log = [&](std::string_view line) { pids.record(line); };

  auto race = [&]() -> asio::awaitable<std::size_t> {
    using namespace asio::experimental::awaitable_operators;
    auto both_reported = [&]() -> asio::awaitable<void> {
      asio::steady_timer timer(co_await asio::this_coro::executor);
      while (pids.grandchild == 0) {
        timer.expires_after(10ms);
        co_await timer.async_wait(asio::use_awaitable);
      }
    };
    auto winner = co_await (task.run(std::move(request)) || both_reported());
    co_return winner.index();
  };
  CHECK(run_coroutine(race()) == 1);
  REQUIRE(pids.child > 0);
  CHECK(reaped(pids.child));
  CHECK(gone(pids.grandchild));
}

TEST_CASE("CommandTask: cancellation kills the process group and throws operation_aborted",
          "[tasks]") {
  CommandTask task;
  TaskRequest request = request_for(task_double({"pid", "grandchild", "sleep", "60000"}));
  ReportedPids pids;
  asio::io_context io;
  asio::cancellation_signal cancel;
  request.on_log = [&](std::string_view line) {
    pids.record(line);
    if (line.starts_with("grandchild ")) {
      asio::post(io, [&] { cancel.emit(asio::cancellation_type::terminal); });
    }
  };
  std::exception_ptr error;
  bool completed = false;
  asio::co_spawn(io, task.run(std::move(request)),
                 asio::bind_cancellation_slot(cancel.slot(),
                                              [&](std::exception_ptr e, TaskResult) {
                                                error = e;
                                                completed = true;
                                              }));
  io.run();
  REQUIRE(completed);
  REQUIRE(error);
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& aborted) {
    CHECK(aborted.code() == asio::error::operation_aborted);
  }
  REQUIRE(pids.child > 0);
  CHECK(reaped(pids.child));
  CHECK(gone(pids.grandchild));
}

}  // namespace
}  // namespace flowstate::tasks
