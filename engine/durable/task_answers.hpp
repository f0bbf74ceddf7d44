// Task answers: how SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat reach the process
// that runs a callback Task. The store has one writer, so the answering process does not
// write to RocksDB: it checks the token against the store (the waiting task's checkpoint
// holds it), writes the answer as a file in the store directory, atomically and synced, and
// signals the writer (SIGUSR1), whose TaskAnswerInbox hands it to the waiting task. An
// answer to an execution whose process died stays in its file until `resume` waits on the
// token again.
//
// Layout: DIR/task-answers/TOKEN (a success or failure: {"kind": "success", "output": V} or
// {"kind": "failure", "error": E, "cause": C}) and DIR/task-answers/TOKEN.heartbeat. A
// success or failure file stays until its execution ends (a crash before the task's end was
// committed must find it again); a heartbeat file goes once delivered.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/durable/execution_record.hpp"
#include "engine/runtime/task_tokens.hpp"
#include "engine/store/store.hpp"

namespace flowstate::durable {

std::filesystem::path task_answers_folder(const std::filesystem::path& store);

/// Where a token stands, as SendTask* sees it (AWS's error names).
enum class TokenStanding {
  waiting,              ///< a RUNNING execution's task waits for it
  invalid,              ///< not a task token: InvalidToken
  unknown,              ///< no execution of this store issued it: TaskDoesNotExist
  closed,               ///< its task ended (answered, timed out, the execution ended): TaskTimedOut
};

struct TokenLookup {
  TokenStanding standing = TokenStanding::invalid;
  std::optional<ExecutionRecord> execution;  ///< the execution whose checkpoints hold it
};

/// Reads the store (and the answers folder) to tell where `token` stands.
TokenLookup look_up_task_token(const store::Store& store, std::string_view token);

/// Writes the answer file (synced, then renamed into place); throws std::system_error.
void write_task_answer(const std::filesystem::path& store, std::string_view token,
                       const runtime::TaskAnswer& answer);

/// SendTask*: looks `token` up and, when its task waits, records `answer` for it (the
/// returned standing is then `waiting`); throws std::system_error when the file cannot be
/// written. The process that runs the execution still has to be told (TaskAnswerInbox).
TokenLookup answer_task_token(const store::Store& store, std::string_view token,
                              const runtime::TaskAnswer& answer);

/// The writer's side: hands answer files to the tasks waiting in this process.
class TaskAnswerInbox {
 public:
  /// `store`: its directory; empty for a store in memory, which no answer can reach.
  TaskAnswerInbox(std::filesystem::path store, runtime::TaskTokens& tokens);

  /// Delivers every answer whose task waits here (nothing is read while none waits).
  void collect();
  /// Delivers the answers to `token` (a task that starts waiting).
  void collect(const std::string& token);
  /// The execution with store id `execution_id` ended: its answers go.
  void forget(std::string_view execution_id);

 private:
  std::filesystem::path folder_;
  runtime::TaskTokens& tokens_;
};

}  // namespace flowstate::durable
