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

/// Writes the result to `out` (stdout); for text, a failure goes to `err` as
/// "flowstate: <STATUS>: <error>: <cause>".
void print_result(const durable::ExecutionRecord& record, ResultFormat format, std::ostream& out,
                  std::ostream& err);

}  // namespace flowstate::cli
