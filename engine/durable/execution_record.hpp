// ExecutionRecord: what the store keeps about one execution besides its history and
// checkpoints — identity, definition, status, input/output, dates, redrives and the parent
// that started it. Stored as JSON under keys::execution(ID) (store format 1; the member
// names are the JSON's).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/durable/run_settings.hpp"
#include "engine/runtime/execution.hpp"

namespace flowstate::durable {

struct ExecutionRecord {
  std::string id;          ///< 16 random hex digits (12 before 2026-11-30), the store's key
  std::string name;        ///< unique in the store
  std::string machine;     ///< the state machine's name
  std::string definition;  ///< SHA-256 of the definition text (keys::definition)
  std::string file;        ///< the definition's path when it started
  runtime::ExecutionStatus status = runtime::ExecutionStatus::running;
  boost::json::value input;
  std::optional<boost::json::value> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::chrono::system_clock::time_point start;
  std::optional<std::chrono::system_clock::time_point> stop;
  std::int64_t redrive_count = 0;
  std::optional<std::chrono::system_clock::time_point> redrive_date;
  std::string parent;      ///< the execution whose Task started this one ("" at the top)
  std::string invocation;  ///< that Task's invocation (TaskRequest::invocation)
  /// A Distributed Map's child: the Map Run it belongs to ("" otherwise). Its `machine` is
  /// then "MACHINE/LABEL", so its ARNs are AWS's for a Map Run child; it runs, resumes and
  /// is redriven only as part of its parent.
  std::string map_run;
  int pid = 0;             ///< the process running it while RUNNING
  /// Its mocks, Lambda endpoint, waits and working directory; its children use the same.
  RunSettings settings;
  /// The state machine version it runs and the alias that picked it, when StartExecution
  /// named a version or alias ARN ("" otherwise), as DescribeExecution reports them.
  std::string version_arn;
  std::string alias_arn;

  std::string execution_arn() const;
  std::string state_machine_arn() const;
};

boost::json::object to_json(const ExecutionRecord& record);
std::optional<ExecutionRecord> execution_record_from_json(const boost::json::value& json);

std::optional<runtime::ExecutionStatus> parse_status(std::string_view text);

/// AWS's ARNs of a state machine and of one of its executions (region us-east-1, account
/// 123456789012, as Step Functions Local names them).
std::string state_machine_arn(std::string_view machine);
/// The ARN of the activity NAME, in the region and account of every ARN flowstate writes.
std::string activity_arn(std::string_view name);
std::string execution_arn(std::string_view machine, std::string_view name);

/// Why `name` is not a valid AWS name of an execution or state machine (1-80 characters, no
/// whitespace, brackets, wildcards or special characters), or nullopt.
std::optional<std::string> name_problem(std::string_view name);

/// The DescribeExecution object (camelCase members, dates as RFC 3339 text).
boost::json::object describe_execution(const ExecutionRecord& record);

}  // namespace flowstate::durable
