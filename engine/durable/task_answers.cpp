#include "engine/durable/task_answers.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/store_keys.hpp"

namespace flowstate::durable {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::string_view kHeartbeatSuffix = ".heartbeat";

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<runtime::TaskAnswer> read_answer(const fs::path& path) {
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto value = data::parse_json(*text);
  if (!value || !value->is_object()) return std::nullopt;
  const json::object& object = value->get_object();
  const json::value* kind = object.if_contains("kind");
  if (!kind || !kind->is_string()) return std::nullopt;
  runtime::TaskAnswer answer;
  auto text_of = [&](std::string_view key) -> std::optional<std::string> {
    const json::value* member = object.if_contains(key);
    if (!member || !member->is_string()) return std::nullopt;
    return std::string(member->get_string());
  };
  if (kind->get_string() == "success") {
    answer.kind = runtime::TaskAnswer::Kind::success;
    if (const json::value* output = object.if_contains("output")) answer.output = *output;
  } else if (kind->get_string() == "failure") {
    answer.kind = runtime::TaskAnswer::Kind::failure;
    answer.error = text_of("error");
    answer.cause = text_of("cause");
  } else {
    answer.kind = runtime::TaskAnswer::Kind::heartbeat;
  }
  return answer;
}

// A checkpoint holds the token as "taskToken":"TOKEN" (checkpoint.hpp); tokens are base64url,
// so the text needs no escaping.
bool checkpoint_holds(const json::value& checkpoint, std::string_view token) {
  const json::object* object = checkpoint.if_object();
  const json::value* held = object ? object->if_contains("taskToken") : nullptr;
  return held && held->is_string() && held->get_string() == token;
}

}  // namespace

fs::path task_answers_folder(const fs::path& store) { return store / "task-answers"; }

TokenLookup look_up_task_token(const store::Store& store, std::string_view token) {
  TokenLookup lookup;
  auto id = runtime::execution_of_task_token(token);
  if (!id) return lookup;
  ExecutionCatalog catalog(store);
  lookup.execution = catalog.find(*id);
  if (!lookup.execution || lookup.execution->id != *id) {
    lookup.execution.reset();
    lookup.standing = TokenStanding::unknown;
    return lookup;
  }
  lookup.standing = TokenStanding::closed;
  if (lookup.execution->status != runtime::ExecutionStatus::running) return lookup;
  std::error_code ignored;
  if (fs::exists(task_answers_folder(store.directory()) / token, ignored)) return lookup;  // answered
  for (const auto& [branch, checkpoint] : catalog.checkpoints(*id))
    if (checkpoint_holds(checkpoint, token)) lookup.standing = TokenStanding::waiting;
  return lookup;
}

void write_task_answer(const fs::path& store, std::string_view token,
                       const runtime::TaskAnswer& answer) {
  json::object object;
  switch (answer.kind) {
    case runtime::TaskAnswer::Kind::success:
      object["kind"] = "success";
      object["output"] = answer.output;
      break;
    case runtime::TaskAnswer::Kind::failure:
      object["kind"] = "failure";
      if (answer.error) object["error"] = *answer.error;
      if (answer.cause) object["cause"] = *answer.cause;
      break;
    case runtime::TaskAnswer::Kind::heartbeat:
    case runtime::TaskAnswer::Kind::started:  // never sent by SendTask*: the queue delivers it
      object["kind"] = "heartbeat";
      break;
  }
  std::string text = data::serialize_json(object);
  fs::path folder = task_answers_folder(store);
  fs::create_directories(folder);
  std::string name(token);
  if (answer.kind == runtime::TaskAnswer::Kind::heartbeat) name += kHeartbeatSuffix;
  fs::path temporary = folder / fmt::format(".{}.{:016x}", name, data::random_u64());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno(fmt::format("cannot create {}", temporary.string()));
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t written = ::write(fd, rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      int saved = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      errno = saved;
      throw_errno(fmt::format("cannot write {}", temporary.string()));
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(fd) != 0) {
    int saved = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    errno = saved;
    throw_errno(fmt::format("cannot sync {}", temporary.string()));
  }
  ::close(fd);
  if (::rename(temporary.c_str(), (folder / name).c_str()) != 0) {
    int saved = errno;
    ::unlink(temporary.c_str());
    errno = saved;
    throw_errno(fmt::format("cannot write {}", (folder / name).string()));
  }
  int directory = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
}

TokenLookup answer_task_token(const store::Store& store, std::string_view token,
                              const runtime::TaskAnswer& answer) {
  TokenLookup lookup = look_up_task_token(store, token);
  if (lookup.standing == TokenStanding::waiting) write_task_answer(store.directory(), token, answer);
  return lookup;
}

TaskAnswerInbox::TaskAnswerInbox(fs::path store, runtime::TaskTokens& tokens)
    : folder_(store.empty() ? fs::path() : task_answers_folder(store)), tokens_(tokens) {}

void TaskAnswerInbox::collect() {
  if (tokens_.empty() || folder_.empty()) return;
  std::error_code error;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with('.')) names.push_back(std::move(name));
  }
  for (const std::string& name : names) {
    std::string_view token = name;
    if (token.ends_with(kHeartbeatSuffix)) token.remove_suffix(kHeartbeatSuffix.size());
    if (tokens_.waiting(token)) collect(std::string(token));
  }
}

void TaskAnswerInbox::collect(const std::string& token) {
  if (folder_.empty()) return;
  std::error_code ignored;
  fs::path heartbeat = folder_ / (token + std::string(kHeartbeatSuffix));
  if (auto answer = read_answer(heartbeat)) {
    fs::remove(heartbeat, ignored);
    tokens_.deliver(token, std::move(*answer));
  }
  // A final answer is delivered once: the task stops waiting on it.
  if (auto answer = read_answer(folder_ / token)) tokens_.deliver(token, std::move(*answer));
}

void TaskAnswerInbox::forget(std::string_view execution_id) {
  if (folder_.empty()) return;
  std::error_code error;
  std::vector<fs::path> spent;
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with('.')) continue;
    std::string_view token = name;
    if (token.ends_with(kHeartbeatSuffix)) token.remove_suffix(kHeartbeatSuffix.size());
    if (runtime::execution_of_task_token(token) == execution_id) spent.push_back(entry.path());
  }
  for (const fs::path& path : spent) fs::remove(path, error);
}

}  // namespace flowstate::durable
