// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: answers to a task token, recorded in the
// store like `flowstate send-task-*` records them (durable/task_answers.hpp), then handed to
// the waiting Task of this process at once.
#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/durable/task_answers.hpp"
#include "engine/server/actions.hpp"
#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

namespace json = boost::json;

namespace {

// AWS's bounds on the members.
constexpr std::size_t kMaxTokenLength = 2048;
constexpr std::size_t kMaxErrorLength = 256;
constexpr std::size_t kMaxCauseLength = 32768;

std::string checked_token(const json::object& request) {
  std::string token = required_string(request, "taskToken");
  if (token.empty() || token.size() > kMaxTokenLength)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value at 'taskToken' failed to satisfy constraint: "
                               "Member must have length between 1 and {}",
                               kMaxTokenLength));
  return token;
}

std::optional<std::string> bounded(const json::object& request, std::string_view member, std::size_t limit) {
  auto value = optional_string(request, member);
  if (value && value->size() > limit)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value at '{}' failed to satisfy constraint: "
                               "Member must have length less than or equal to {}",
                               member, limit));
  return value;
}

json::object answer(ApiContext& context, const std::string& token, const runtime::TaskAnswer& answer) {
  durable::TokenLookup lookup;
  try {
    lookup = durable::answer_task_token(context.host.store(), token, answer);
  } catch (const std::system_error& error) {
    throw ApiError("InternalFailure", fmt::format("cannot record the answer: {}", error.what()), 500);
  }
  switch (lookup.standing) {
    case durable::TokenStanding::invalid:
      throw ApiError("InvalidToken", fmt::format("Invalid Token: '{}'", token));
    case durable::TokenStanding::unknown:
      throw ApiError("TaskDoesNotExist", "Task Does Not Exist");
    case durable::TokenStanding::closed:
      throw ApiError("TaskTimedOut", "Task Timed Out");
    case durable::TokenStanding::waiting:
      break;
  }
  context.host.collect_task_answers(token);
  return json::object{};
}

}  // namespace

awaitable<json::object> send_task_success(ApiContext& context, const json::object& request) {
  std::string token = checked_token(request);
  std::string text = required_string(request, "output");
  if (text.size() > asl::kMaxPayloadBytes)
    throw ApiError("InvalidOutput",
                   fmt::format("Invalid Output: larger than {} bytes, the limit for a task's result",
                               asl::kMaxPayloadBytes));
  auto output = data::parse_json(text);
  if (!output)
    throw ApiError("InvalidOutput", fmt::format("Invalid Output: '{}' (line {}, column {})", output.error().message,
                                                output.error().line, output.error().column));
  runtime::TaskAnswer success;
  success.kind = runtime::TaskAnswer::Kind::success;
  success.output = std::move(*output);
  co_return answer(context, token, success);
}

awaitable<json::object> send_task_failure(ApiContext& context, const json::object& request) {
  std::string token = checked_token(request);
  runtime::TaskAnswer failure;
  failure.kind = runtime::TaskAnswer::Kind::failure;
  failure.error = bounded(request, "error", kMaxErrorLength);
  failure.cause = bounded(request, "cause", kMaxCauseLength);
  co_return answer(context, token, failure);
}

awaitable<json::object> send_task_heartbeat(ApiContext& context, const json::object& request) {
  co_return answer(context, checked_token(request), runtime::TaskAnswer{});
}

}  // namespace flowstate::server
