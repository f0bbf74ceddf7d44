// The command task: reads the request's Command/Shell/Env/WorkingDirectory/Input, runs the
// child process and turns how it ended into a result or an ASL Failure.
#include "engine/tasks/command_task.hpp"

#include <string.h>

#include <cstddef>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/tasks/child_process.hpp"
#include "engine/tasks/task_processes.hpp"

namespace flowstate::tasks {
namespace {

namespace json = boost::json;
using asl::Failure;

constexpr std::size_t kTailLines = 20;
constexpr std::size_t kTailBytes = 4 * 1024;
constexpr std::string_view kWhitespace = " \t\r\n\f\v";

/// What a command task runs, read from its parameters.
struct CommandSpec {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> environment;
  std::optional<std::string> working_directory;
  std::string input;  // compact JSON for stdin
};

/// The last lines of stderr, bounded in count and bytes: the cause of a failed command.
class StderrTail {
 public:
  void add(std::string_view line) {
    lines_.emplace_back(line);
    bytes_ += line.size() + 1;
    while (lines_.size() > 1 && (lines_.size() > kTailLines || bytes_ > kTailBytes)) {
      bytes_ -= lines_.front().size() + 1;
      lines_.pop_front();
    }
  }

  /// The kept lines, newline-separated, without trailing whitespace; a single line over the
  /// byte limit keeps its end (cut at a UTF-8 character boundary).
  std::string text() const {
    std::string out;
    for (const auto& line : lines_) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    out.erase(out.find_last_not_of(kWhitespace) + 1);
    if (out.size() > kTailBytes) {
      std::size_t start = out.size() - kTailBytes;
      while (start < out.size() && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80) {
        ++start;
      }
      out.erase(0, start);
    }
    return out;
  }

 private:
  std::deque<std::string> lines_;
  std::size_t bytes_ = 0;
};

std::string_view kind_of(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

Failure task_failed(std::string cause) {
  return asl::make_failure(std::string(asl::error_name::kTaskFailed), std::move(cause));
}

Failure invalid(std::string_view problem) {
  return task_failed(fmt::format("command task: {}", problem));
}

/// A string field as a C string for exec: NUL would silently cut it short.
boost::system::result<std::string, Failure> c_string(const json::value& value,
                                                     std::string_view field) {
  if (!value.is_string()) {
    return invalid(fmt::format("\"{}\" must be a string, got {}", field, kind_of(value)));
  }
  std::string_view text = value.get_string();
  if (text.find('\0') != std::string_view::npos) {
    return invalid(fmt::format("\"{}\" contains a NUL character", field));
  }
  return std::string(text);
}

boost::system::result<CommandSpec, Failure> read_parameters(const json::value& parameters) {
  const json::object* fields = parameters.if_object();
  if (fields == nullptr) {
    return invalid(fmt::format(
        "the effective input must be a JSON object with a \"Command\" field, got {}",
        kind_of(parameters)));
  }
  CommandSpec spec;

  bool shell = false;
  if (const json::value* value = fields->if_contains("Shell")) {
    if (!value->is_bool()) {
      return invalid(fmt::format("\"Shell\" must be a boolean, got {}", kind_of(*value)));
    }
    shell = value->get_bool();
  }

  const json::value* command = fields->if_contains("Command");
  if (command == nullptr) {
    return invalid(
        "\"Command\" is missing; give an array of strings (argv), or a string with "
        "\"Shell\": true");
  }
  if (command->is_string()) {
    if (!shell) {
      return invalid(
          "\"Command\" is a string, which runs only with \"Shell\": true; give an array of "
          "strings (argv) or set \"Shell\": true");
    }
    auto script = c_string(*command, "Command");
    if (!script) return script.error();
    spec.argv = {"/bin/sh", "-c", std::move(*script)};
  } else if (const json::array* argv = command->if_array()) {
    if (shell) return invalid("\"Shell\": true needs \"Command\" as a string");
    if (argv->empty()) return invalid("\"Command\" must not be empty");
    for (std::size_t i = 0; i < argv->size(); ++i) {
      auto argument = c_string((*argv)[i], fmt::format("Command[{}]", i));
      if (!argument) return argument.error();
      spec.argv.push_back(std::move(*argument));
    }
  } else {
    return invalid(fmt::format(
        "\"Command\" must be an array of strings (argv), or a string with \"Shell\": true; "
        "got {}",
        kind_of(*command)));
  }

  if (const json::value* env = fields->if_contains("Env")) {
    const json::object* variables = env->if_object();
    if (variables == nullptr) {
      return invalid(fmt::format("\"Env\" must be an object of strings, got {}", kind_of(*env)));
    }
    for (const auto& [key, value] : *variables) {
      std::string_view name = key;
      if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != name.npos) {
        return invalid(fmt::format(
            "\"Env\" names must be non-empty and contain no '=' or NUL, got \"{}\"", name));
      }
      auto text = c_string(value, fmt::format("Env.{}", name));
      if (!text) return text.error();
      spec.environment.emplace_back(std::string(name), std::move(*text));
    }
  }

  if (const json::value* directory = fields->if_contains("WorkingDirectory")) {
    auto text = c_string(*directory, "WorkingDirectory");
    if (!text) return text.error();
    spec.working_directory = std::move(*text);
  }

  const json::value* input = fields->if_contains("Input");
  spec.input = data::serialize_json(input ? *input : parameters);
  return spec;
}

std::string_view trimmed(std::string_view text) {
  std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

/// stdout as the task's result: its JSON value, else its trimmed text; nothing → null.
json::value result_of(std::string_view output) {
  std::string_view text = trimmed(output);
  if (text.empty()) return nullptr;
  auto parsed = data::parse_json(text);
  if (parsed) return std::move(*parsed);
  return json::string(text);
}

/// A failed command's own error, when its stdout is {"Error": "<name>", "Cause": ...}.
std::optional<Failure> reported_failure(const json::value& result) {
  const json::object* fields = result.if_object();
  if (fields == nullptr) return std::nullopt;
  const json::value* error = fields->if_contains("Error");
  if (error == nullptr || !error->is_string() || error->get_string().empty()) {
    return std::nullopt;
  }
  Failure failure{std::string(error->get_string()), std::nullopt};
  if (const json::value* cause = fields->if_contains("Cause"); cause && !cause->is_null()) {
    failure.cause =
        cause->is_string() ? std::string(cause->get_string()) : data::serialize_json(*cause);
  }
  return failure;
}

std::string signal_name(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation ? fmt::format("SIG{}", abbreviation) : std::string("unknown signal");
}

TaskResult interpret(const ProcessOutcome& outcome, const StderrTail& tail,
                     const TaskRequest& request) {
  switch (outcome.end) {
    case ProcessEnd::exited: {
      json::value result = result_of(outcome.standard_output);
      if (outcome.code == 0) return result;
      if (auto failure = reported_failure(result)) return *failure;
      std::string log = tail.text();
      return task_failed(log.empty() ? fmt::format("command exited with status {}", outcome.code)
                                     : std::move(log));
    }
    case ProcessEnd::killed_by_signal: {
      std::string cause = fmt::format("command was killed by signal {} ({})", outcome.code,
                                      signal_name(outcome.code));
      if (std::string log = tail.text(); !log.empty()) cause += fmt::format("; stderr:\n{}", log);
      return task_failed(std::move(cause));
    }
    case ProcessEnd::time_limit_reached:
      return asl::make_failure(
          std::string(asl::error_name::kTimeout),
          fmt::format("command timed out after {} (TimeoutSeconds)",
                      seconds_text(request.timeout.value_or(std::chrono::seconds(0)))));
    case ProcessEnd::silence_limit_reached:
      return asl::make_failure(
          std::string(asl::error_name::kTimeout),
          fmt::format("command sent no heartbeat for {} (HeartbeatSeconds): no line on stdout "
                      "or stderr",
                      seconds_text(request.heartbeat.value_or(std::chrono::seconds(0)))));
  }
  return task_failed("command ended in an unknown way");
}

}  // namespace

CommandTask::CommandTask(CommandTaskOptions options) : options_(options) {}

boost::asio::awaitable<TaskResult> CommandTask::run(TaskRequest request) {
  auto spec = read_parameters(request.parameters);
  if (!spec) co_return spec.error();

  StderrTail tail;
  ChildProcessOptions options;
  options.argv = std::move(spec->argv);
  options.environment = std::move(spec->environment);
  // A callback command (arn:flowstate:::command.waitForTaskToken) finds its token here too.
  if (!request.task_token.empty()) options.environment.emplace_back("FLOWSTATE_TASK_TOKEN", request.task_token);
  options.working_directory = std::move(spec->working_directory);
  if (!request.working_directory.empty()) {
    // A relative WorkingDirectory is relative to the execution's directory.
    std::filesystem::path directory(request.working_directory);
    options.working_directory = options.working_directory ? (directory / *options.working_directory).string()
                                                          : directory.string();
  }
  options.standard_input = std::move(spec->input);
  if (request.timeout) options.time_limit = *request.timeout;
  if (request.heartbeat) options.silence_limit = *request.heartbeat;
  options.kill_grace = options_.kill_grace;
  options.task_marker = task_marker(request.execution_id, request.invocation);
  options.on_stderr_line = [&](std::string_view line) {
    tail.add(line);
    if (request.on_log) request.on_log(line);
  };

  auto outcome = co_await run_child_process(std::move(options));
  if (!outcome) co_return task_failed(std::move(outcome.error().message));
  co_return interpret(*outcome, tail, request);
}

}  // namespace flowstate::tasks
