#include "tools/flowstate/result_format.hpp"

#include <chrono>
#include <ostream>

#include <boost/json/object.hpp>

#include "engine/data/json_codec.hpp"

namespace flowstate::cli {

namespace json = boost::json;

std::optional<ResultFormat> parse_result_format(std::string_view name) {
  if (name == "text") return ResultFormat::text;
  if (name == "json") return ResultFormat::json;
  if (name == "aws") return ResultFormat::aws;
  return std::nullopt;
}

namespace {

double epoch_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

json::value optional_string(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

}  // namespace

void print_result(const runtime::ExecutionResult& result, const std::string& name,
                  const json::value& input, ResultFormat format, std::ostream& out,
                  std::ostream& err) {
  std::string_view status = runtime::to_string(result.status);
  switch (format) {
    case ResultFormat::text:
      if (result.output) {
        out << data::serialize_json_pretty(*result.output) << '\n';
      } else {
        err << "flowstate: " << status;
        if (result.failure && result.failure->error) err << ": " << *result.failure->error;
        if (result.failure && result.failure->cause && !result.failure->cause->empty())
          err << ": " << *result.failure->cause;
        err << '\n';
      }
      return;
    case ResultFormat::json: {
      json::object object;
      object["status"] = status;
      if (result.output) object["output"] = *result.output;
      if (result.failure && result.status == runtime::ExecutionStatus::failed) {
        object["error"] = optional_string(result.failure->error);
        object["cause"] = optional_string(result.failure->cause);
      }
      out << data::serialize_json(object) << '\n';
      return;
    }
    case ResultFormat::aws: {
      // DescribeExecution: output only when SUCCEEDED; error/cause only when FAILED (a
      // TIMED_OUT execution carries neither, as AWS reports it).
      json::object object;
      object["executionArn"] = result.execution_arn;
      object["stateMachineArn"] = result.state_machine_arn;
      object["name"] = name;
      object["status"] = status;
      object["startDate"] = epoch_seconds(result.start);
      object["stopDate"] = epoch_seconds(result.stop);
      object["input"] = data::serialize_json(input);
      object["inputDetails"] = json::object{{"included", true}};
      if (result.output) {
        object["output"] = data::serialize_json(*result.output);
        object["outputDetails"] = json::object{{"included", true}};
      }
      if (result.failure && result.status == runtime::ExecutionStatus::failed) {
        if (result.failure->error) object["error"] = *result.failure->error;
        if (result.failure->cause) object["cause"] = *result.failure->cause;
      }
      object["redriveCount"] = 0;
      object["redriveStatus"] =
          result.status == runtime::ExecutionStatus::succeeded ? "NOT_REDRIVABLE" : "REDRIVABLE";
      out << data::serialize_json(object) << '\n';
      return;
    }
  }
}

}  // namespace flowstate::cli
