// The CLI's local actions ("Flowstate.<Action>"), for `flowstate run`, `resume` and `redrive`
// on a store this server holds: the CLI cannot open the store for writing then, so the server
// runs the execution and the CLI follows it in the store. Only a caller that showed the
// store's key reaches them (server_presence.hpp); unlike the AWS actions, they name files —
// the definition's path (nested definitions resolve next to it) and mock configurations.
#include "engine/server/actions.hpp"

#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "engine/durable/execution_catalog.hpp"
#include "engine/server/aws_json_protocol.hpp"
#include "engine/server/execution_launcher.hpp"

namespace flowstate::server {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::awaitable;
using durable::ExecutionRecord;
using runtime::ExecutionStatus;

namespace {

// What the CLI follows: the execution, and where its task log continues (the lines before
// belong to earlier runs of it).
json::object started(const ApiContext& context, const ExecutionRecord& record) {
  return json::object{{"executionArn", record.execution_arn()},
                      {"executionId", record.id},
                      {"name", record.name},
                      {"redriveCount", record.redrive_count},
                      {"logsFrom", context.host.catalog().log_end(record.id)}};
}

// The Lambda endpoint a CLI asks for must be the server's: one process serves one.
void check_lambda_endpoint(const ApiContext& context, const json::object& request) {
  auto asked = optional_string(request, "lambdaEndpoint").value_or("");
  if (asked.empty() || asked == context.settings.lambda_endpoint) return;
  throw ApiError("ValidationException",
                 context.settings.lambda_endpoint.empty()
                     ? fmt::format("the server holding this store serves no Lambda endpoint, and this "
                                   "execution asks for {}; restart the server with --lambda-endpoint {}",
                                   asked, asked)
                     : fmt::format("the server holding this store invokes Lambda functions at {}, and this "
                                   "execution asks for {}",
                                   context.settings.lambda_endpoint, asked));
}

// The mock configuration a request names, read (and kept) by the server now.
void check_mock_config(ApiContext& context, const std::string& path) {
  if (path.empty() || !context.host.options().mocks) return;
  if (auto config = context.host.options().mocks->load(path); !config)
    throw ApiError("ValidationException", config.error());
}

ExecutionRecord find_by_id_or_name(const ApiContext& context, const json::object& request) {
  std::string execution = required_string(request, "execution");
  auto record = context.host.catalog().find(execution);
  if (!record)
    throw ApiError("ExecutionDoesNotExist", fmt::format("no execution '{}' in the store", execution));
  return std::move(*record);
}

}  // namespace

awaitable<json::object> start_definition(ApiContext& context, const json::object& request) {
  check_lambda_endpoint(context, request);
  durable::NewExecution execution;
  execution.definition = durable::DefinitionSource{required_string(request, "definitionFile"),
                                                   required_string(request, "definition")};
  execution.input = parsed_input(request);
  execution.name = optional_string(request, "name").value_or("");
  execution.settings = durable::run_settings_from_json(request);
  if (!execution.settings.test_case.empty()) {
    execution.settings.mock_config = required_string(request, "mockConfig");
    check_mock_config(context, execution.settings.mock_config);
  }
  execution.settings.lambda_endpoint = context.settings.lambda_endpoint;
  // The CLI filled the definition with settings.substitutions already; they fill its
  // children's files.
  execution.machine = optional_string(request, "machineName").value_or("");
  if (auto problem = durable::name_problem(execution.machine); problem && !execution.machine.empty())
    throw ApiError("ValidationException", fmt::format("the state machine name '{}' {}", execution.machine, *problem));
  ExecutionRecord record;
  try {
    record = context.host.create(std::move(execution));
  } catch (const durable::ExecutionRefused& refused) {
    throw ApiError("ValidationException", refused.what());
  }
  json::object out = started(context, record);
  launch_run(context, co_await asio::this_coro::executor, std::move(record));
  co_return out;
}

awaitable<json::object> resume_execution(ApiContext& context, const json::object& request) {
  ExecutionRecord record = find_by_id_or_name(context, request);
  json::object out = started(context, record);
  // Running here already (the server resumes every RUNNING execution when it starts): the
  // CLI follows it.
  if (context.host.running(record.id)) co_return out;
  if (record.status != ExecutionStatus::running || !record.parent.empty() || !record.map_run.empty())
    throw ApiError("ValidationException",
                   fmt::format("execution {} is {}: only a RUNNING top-level execution whose process stopped "
                               "can be resumed",
                               record.name, runtime::to_string(record.status)));
  record.settings.skip_waits = record.settings.skip_waits || optional_bool(request, "skipWaits").value_or(false);
  launch_resume(context, co_await asio::this_coro::executor, std::move(record));
  co_return out;
}

awaitable<json::object> redrive_execution_from(ApiContext& context, const json::object& request) {
  check_lambda_endpoint(context, request);
  ExecutionRecord record = find_by_id_or_name(context, request);
  if (context.host.running(record.id))
    throw ApiError("ExecutionNotRedrivable", fmt::format("execution {} is RUNNING in this server", record.name));
  auto from = optional_string(request, "from");
  try {
    context.host.redrive_plan(record, from);
  } catch (const durable::ExecutionRefused& refused) {
    throw ApiError("ExecutionNotRedrivable", refused.what());
  }
  // The mocks it ran with, unless the redrive names others.
  if (auto config = optional_string(request, "mockConfig")) record.settings.mock_config = *config;
  if (auto test_case = optional_string(request, "testCase")) record.settings.test_case = *test_case;
  if (!record.settings.test_case.empty()) check_mock_config(context, record.settings.mock_config);
  record.settings.skip_waits = record.settings.skip_waits || optional_bool(request, "skipWaits").value_or(false);
  json::object out = started(context, record);
  launch_redrive(context, co_await asio::this_coro::executor, std::move(record), std::move(from));
  co_return out;
}

}  // namespace flowstate::server
