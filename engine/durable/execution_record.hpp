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

#include "engine/definition/definition_substitutions.hpp"
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
  /// The mock configuration file (absolute) and test case it runs with (--mock-config,
  /// --test-case); its children use the same. Empty: nothing is mocked.
  std::string mock_config;
  std::string test_case;
  /// The Lambda endpoint (--lambda-endpoint URL) that serves its Lambda functions; its
  /// children use the same. Empty: Lambda functions are served only by mocks.
  std::string lambda_endpoint;
  /// Wait states and retry back-off do not sleep (--skip-waits); its children do the same.
  bool skip_waits = false;
  /// Where its command tasks run (the directory `flowstate run` ran in); its children, a
  /// resume and a redrive use the same. Empty: the working directory of the process.
  std::string working_directory;
  /// The values of the definition's ${Name} placeholders it was started with (--substitute,
  /// --substitutions); its text is stored filled, and a child's definition read from a file
  /// is filled with the same. Stored as {"substitutions": {NAME: VALUE, ...}} when not empty.
  definition::Substitutions substitutions;
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

/// ExecutionRecord::substitutions as the store (and the server's StartDefinition request)
/// writes them: {NAME: VALUE, ...}; members that are not strings are skipped when read.
boost::json::object substitutions_json(const definition::Substitutions& substitutions);
definition::Substitutions substitutions_from_json(const boost::json::value* json);

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
