// Task state: runs one unit of work through the Resource it names (local command, nested
// state machine, ...). Timeouts and heartbeats are given literally or by reference path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/data/json_path.hpp"
#include "engine/definition/field_reader.hpp"
#include "engine/definition/source_location.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

/// The suffix of a Resource that waits for a callback (SendTaskSuccess/Failure) after
/// calling its integration.
inline constexpr std::string_view kWaitForTaskToken = ".waitForTaskToken";

struct TaskState {
  std::string resource;
  /// What runs: `resource` without `.waitForTaskToken`.
  std::string integration;
  /// `.waitForTaskToken`: the attempt has a task token ($$.Task.Token) and, once the
  /// integration returned, waits for an answer to it.
  bool waits_for_callback = false;
  /// An activity (`arn:aws:states:REGION:ACCOUNT:activity:NAME`): a worker takes the task
  /// with GetActivityTask and answers its token (`$$.Task.Token`) with SendTask*.
  bool activity = false;
  definition::SourceLocation resource_location;  ///< for "unknown resource" diagnostics
  std::optional<std::int64_t> timeout_seconds;
  std::optional<data::JsonPath> timeout_seconds_path;
  std::optional<std::int64_t> heartbeat_seconds;
  std::optional<data::JsonPath> heartbeat_seconds_path;
  /// JSONata: TimeoutSeconds / HeartbeatSeconds, numbers or expressions (the numbers are
  /// also in timeout_seconds / heartbeat_seconds).
  IntegerField jsonata_timeout;
  IntegerField jsonata_heartbeat;
};

/// `arn:PARTITION:states:REGION:ACCOUNT:activity:NAME`, every part present.
bool is_activity_arn(std::string_view arn);

std::optional<TaskState> compile_task_state(definition::FieldReader& reader,
                                           QueryLanguage language);

}  // namespace flowstate::states
