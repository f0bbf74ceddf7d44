#include "tools/flowstate/result_format.hpp"

#include <ostream>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"

namespace flowstate::cli {

namespace json = boost::json;
using runtime::ExecutionStatus;

std::optional<ResultFormat> parse_result_format(std::string_view name) {
  if (name == "text") return ResultFormat::text;
  if (name == "json") return ResultFormat::json;
  if (name == "aws") return ResultFormat::aws;
  return std::nullopt;
}

void print_result(const durable::ExecutionRecord& record, const ResultPrinting& printing,
                  std::ostream& out, std::ostream& err) {
  std::string_view status = runtime::to_string(record.status);
  bool succeeded = record.status == ExecutionStatus::succeeded;
  if (!succeeded && !printing.quiet) {
    err << "flowstate: " << status;
    if (record.error) err << ": " << *record.error;
    if (record.cause && !record.cause->empty()) err << ": " << *record.cause;
    err << '\n';
  }
  switch (printing.format) {
    case ResultFormat::text:
      if (succeeded && record.output) out << data::serialize_json_pretty(*record.output) << '\n';
      return;
    case ResultFormat::json: {
      json::object object;
      if (printing.stored && !record.id.empty()) object["id"] = record.id;
      object["name"] = record.name;
      object["executionArn"] = record.execution_arn();
      object["status"] = status;
      if (record.output) object["output"] = *record.output;
      if (record.status == ExecutionStatus::failed) {
        object["error"] = record.error ? json::value(*record.error) : json::value(nullptr);
        object["cause"] = record.cause ? json::value(*record.cause) : json::value(nullptr);
      }
      out << data::serialize_json(object) << '\n';
      return;
    }
    case ResultFormat::aws:
      out << data::serialize_json(durable::describe_execution(record)) << '\n';
      return;
  }
}

}  // namespace flowstate::cli
