// How `flowstate run`, `resume` and `redrive` print a finished execution: text (the output
// JSON, indented), json (a compact result object) or aws (the DescribeExecution object).
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

#include "engine/durable/execution_record.hpp"

namespace flowstate::cli {

enum class ResultFormat { text, json, aws };

std::optional<ResultFormat> parse_result_format(std::string_view name);

/// How a command prints its result: the format of stdout, and whether stderr stays silent.
struct ResultPrinting {
  ResultFormat format = ResultFormat::text;
  bool quiet = false;  ///< -q: nothing on stderr; the exit code says how it ended
  /// false: the execution ran in memory (--no-store), so its id leads nowhere and is not printed.
  bool stored = true;
};

/// Writes the result to `out` (stdout). Unless quiet, an execution that did not succeed is
/// also told on `err`, in every format, as "flowstate: <STATUS>: <error>: <cause>". The json
/// object names the execution: {"id", "name", "executionArn", "status", "output", "error",
/// "cause"} (no "id" for an execution that was not stored).
void print_result(const durable::ExecutionRecord& record, const ResultPrinting& printing,
                  std::ostream& out, std::ostream& err);

}  // namespace flowstate::cli
