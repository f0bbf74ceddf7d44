// How `flowstate run` prints a finished execution: text (the output JSON, indented), json
// (a compact result object) or aws (the DescribeExecution object).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "engine/runtime/execution.hpp"

namespace flowstate::cli {

enum class ResultFormat { text, json, aws };

std::optional<ResultFormat> parse_result_format(std::string_view name);

/// Writes the result to `out` (stdout); for text, a failure goes to `err` as
/// "flowstate: <STATUS>: <error>: <cause>".
void print_result(const runtime::ExecutionResult& result, const std::string& name,
                  const boost::json::value& input, ResultFormat format, std::ostream& out,
                  std::ostream& err);

}  // namespace flowstate::cli
