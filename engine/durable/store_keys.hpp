// The store's key layout (store format 1): which record lives under which key. Execution
// ids are 12 lowercase hex digits, so the '/' after them is unambiguous; integers are
// big-endian so keys sort in numeric order.
//   x/ID                          execution record (execution_record.hpp), JSON
//   n/NAME                        ID of the execution with that name
//   d/SHA256                      definition {"file": PATH, "text": SOURCE}
//   e/ID/FIRST(8)                 a page of history events from id FIRST on (the events of
//                                 one batch), each as GetExecutionHistory returns it, as
//                                 compact JSON, one per line
//   c/ID/BRANCH                   a branch's checkpoint (runtime/checkpoint.hpp); BRANCH is
//                                 4 bytes per level (runtime::branch_path), empty at the top
//   f/ID/BRANCH                   the output of a finished Map iteration / Parallel branch
//                                 (a Distributed Map child that failed: its error output,
//                                 while its checkpoint c/ID/BRANCH stays for a redrive)
//   l/ID/SEQ(8)                   a task log line {"state", "timestamp", "line"}
//   k/ID/REDRIVE(8)/INVOCATION    ID of the child execution a Task invocation started (for
//                                 a Distributed Map's child: REDRIVE 0 and INVOCATION its
//                                 name; its x/ record has "mapRunArn")
//   m/NAME                        a state machine created through the server's API
//                                 (engine/server/state_machine_registry.hpp), JSON
//   v/NAME/VERSION(8)             a published version of the state machine NAME (the same
//                                 registry), JSON
//   s/NAME/ALIAS                  an alias of the state machine NAME (the same registry), JSON
//   a/NAME                        an activity created through the server's API
//                                 (engine/server/activity_registry.hpp), JSON
//   r/MAPRUNARN                   a Distributed Map's Map Run (map_run_record.hpp), JSON
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flowstate::durable::keys {

std::string execution(std::string_view id);
std::string execution_prefix();
std::string name(std::string_view name);
std::string definition(std::string_view hash);
std::string event(std::string_view id, std::int64_t event_id);
std::string events_prefix(std::string_view id);
std::string checkpoint(std::string_view id, std::string_view branch_path);
std::string checkpoints_prefix(std::string_view id);
std::string finished(std::string_view id, std::string_view branch_path);
std::string finished_prefix(std::string_view id);
std::string log_line(std::string_view id, std::uint64_t sequence);
std::string logs_prefix(std::string_view id);
std::string child(std::string_view id, std::int64_t redrive_count, std::string_view invocation);
std::string children_prefix(std::string_view id);
std::string state_machine(std::string_view name);
std::string state_machine_prefix();
std::string state_machine_version(std::string_view name, std::int64_t version);
std::string state_machine_versions_prefix(std::string_view name);
std::string state_machine_alias(std::string_view name, std::string_view alias);
std::string state_machine_aliases_prefix(std::string_view name);
std::string activity(std::string_view name);
std::string activity_prefix();
std::string map_run(std::string_view arn);

/// The first event id of an events page's key; the sequence number at the end of a log key.
std::int64_t event_id_of(std::string_view key);
std::uint64_t sequence_of(std::string_view key);
/// The branch path at the end of a checkpoint or finished key.
std::string_view branch_path_of(std::string_view key, std::string_view id);

}  // namespace flowstate::durable::keys
