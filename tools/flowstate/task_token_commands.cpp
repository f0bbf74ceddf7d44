#include "tools/flowstate/task_token_commands.hpp"

#include <signal.h>

#include <iostream>
#include <system_error>

#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/durable/task_answers.hpp"
#include "tools/flowstate/api_client.hpp"
#include "tools/flowstate/file_argument.hpp"

namespace flowstate::cli {

void add_task_token_commands(CLI::App& app, TaskTokenOptions& options) {
  auto add_token = [&options](CLI::App* command) {
    command->add_option("TOKEN", options.token,
                        "the task token ($$.Task.Token; a command task also finds it in "
                        "$FLOWSTATE_TASK_TOKEN)")
        ->required();
    add_store_options(*command, options.store, /*writer=*/false);
    command->add_option("--endpoint", options.endpoint,
                        "send the answer to a server's AWS API (flowstate server, e.g. "
                        "http://127.0.0.1:8083) instead of writing it to the store");
  };
  CLI::App* success = app.add_subcommand(
      "send-task-success", "Answer a callback task: it succeeds with OUTPUT as its result");
  add_token(success);
  auto* output = success->add_option("--output", options.output, "the task's result, JSON text");
  success->add_option("--output-file", options.output_file,
                      "read the task's result from a file ('-' for stdin)")
      ->excludes(output);

  CLI::App* failure = app.add_subcommand(
      "send-task-failure", "Answer a callback task: it fails with ERROR and CAUSE, which its "
                           "Retry and Catch see");
  add_token(failure);
  failure->add_option_function<std::string>(
      "--error", [&options](const std::string& error) { options.error = error, options.has_error = true; },
      "the error name (default: none, as AWS allows)");
  failure->add_option_function<std::string>(
      "--cause", [&options](const std::string& cause) { options.cause = cause, options.has_cause = true; },
      "the cause (default: none)");

  CLI::App* heartbeat = app.add_subcommand(
      "send-task-heartbeat", "Tell a callback task its work is alive (restarts HeartbeatSeconds)");
  add_token(heartbeat);
}

namespace {

std::optional<std::string> read_output_text(const TaskTokenOptions& options) {
  if (options.output_file.empty()) return options.output;
  return read_file_argument(options.output_file, "output");
}

// The answer the command gives, or nullopt after saying why it is not one (InvalidOutput).
std::optional<runtime::TaskAnswer> answer_of(std::string_view name, const TaskTokenOptions& options) {
  runtime::TaskAnswer answer;
  if (name == "send-task-heartbeat") return answer;
  if (name == "send-task-failure") {
    answer.kind = runtime::TaskAnswer::Kind::failure;
    if (options.has_error) answer.error = options.error;
    if (options.has_cause) answer.cause = options.cause;
    return answer;
  }
  answer.kind = runtime::TaskAnswer::Kind::success;
  auto text = read_output_text(options);
  if (!text) return std::nullopt;
  if (text->empty()) {
    std::cerr << "flowstate: InvalidOutput: give the task's result with --output JSON or "
                 "--output-file PATH\n";
    return std::nullopt;
  }
  auto value = data::parse_json(*text);
  if (!value) {
    std::cerr << fmt::format("flowstate: InvalidOutput: {}:{}:{}: the output is not valid JSON: {}\n",
                             options.output_file.empty() ? "--output" : options.output_file,
                             value.error().line, value.error().column, value.error().message);
    return std::nullopt;
  }
  if (data::serialized_size_exceeds(*value, asl::kMaxPayloadBytes)) {
    std::cerr << fmt::format("flowstate: InvalidOutput: the output is larger than {} bytes, the "
                             "limit AWS Step Functions sets for a task's result\n",
                             asl::kMaxPayloadBytes);
    return std::nullopt;
  }
  answer.output = std::move(*value);
  return answer;
}

// The answer as SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat to a server.
ExitCode send_to_endpoint(const TaskTokenOptions& options, const runtime::TaskAnswer& answer) {
  auto client = ApiClient::parse(options.endpoint);
  if (!client) {
    std::cerr << fmt::format("flowstate: error: --endpoint '{}': {}\n", options.endpoint, client.error());
    return ExitCode::invalid_input;
  }
  boost::json::object body{{"taskToken", options.token}};
  std::string_view action = "SendTaskHeartbeat";
  if (answer.kind == runtime::TaskAnswer::Kind::success) {
    action = "SendTaskSuccess";
    body["output"] = data::serialize_json(answer.output);
  } else if (answer.kind == runtime::TaskAnswer::Kind::failure) {
    action = "SendTaskFailure";
    if (answer.error) body["error"] = *answer.error;
    if (answer.cause) body["cause"] = *answer.cause;
  }
  ApiReply reply = client->call(action, body);
  if (reply.ok()) return ExitCode::succeeded;
  if (reply.status == 0) {
    std::cerr << "flowstate: " << reply.message << '\n';
    return ExitCode::internal_error;
  }
  std::cerr << fmt::format("flowstate: {}: {}\n", reply.error, reply.message);
  return reply.status < 500 ? ExitCode::invalid_input : ExitCode::internal_error;
}

}  // namespace

ExitCode task_token_command(std::string_view name, const TaskTokenOptions& options) {
  auto answer = answer_of(name, options);
  if (!answer) return ExitCode::invalid_input;
  if (!options.endpoint.empty()) return send_to_endpoint(options, *answer);
  auto store = open_store(options.store, store::AccessMode::read, "");
  durable::TokenLookup lookup;
  try {
    lookup = durable::answer_task_token(*store, options.token, *answer);
  } catch (const std::system_error& error) {
    std::cerr << fmt::format("flowstate: cannot record the answer: {}\n", error.what());
    return ExitCode::internal_error;
  }
  switch (lookup.standing) {
    case durable::TokenStanding::invalid:
      std::cerr << fmt::format("flowstate: InvalidToken: '{}' is not a task token (a token is the "
                               "value of $$.Task.Token, 36 characters)\n",
                               options.token);
      return ExitCode::invalid_input;
    case durable::TokenStanding::unknown:
      std::cerr << fmt::format("flowstate: TaskDoesNotExist: no execution in the store {} issued "
                               "the task token {}\n",
                               store->directory().string(), options.token);
      return ExitCode::invalid_input;
    case durable::TokenStanding::closed:
      std::cerr << fmt::format("flowstate: TaskTimedOut: the task of execution {} ({}) that held "
                               "this token has already been closed (answered, timed out, or the "
                               "execution is {})\n",
                               lookup.execution->name, lookup.execution->id,
                               runtime::to_string(lookup.execution->status));
      return ExitCode::invalid_input;
    case durable::TokenStanding::waiting:
      break;
  }
  // The process running the execution picks the answer up now; if it died, `resume` will.
  auto holder = store->lock_holder();
  if (holder && holder->pid == lookup.execution->pid) {
    ::kill(holder->pid, SIGUSR1);
  } else {
    std::cerr << fmt::format("flowstate: no process runs execution {} ({}) now; the answer is kept "
                             "for 'flowstate resume {}'\n",
                             lookup.execution->name, lookup.execution->id, lookup.execution->id);
  }
  return ExitCode::succeeded;
}

}  // namespace flowstate::cli
