#include "engine/server/execution_launcher.hpp"

#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <fmt/format.h>

namespace flowstate::server {

namespace asio = boost::asio;

namespace {

auto report(ApiContext& context, std::string name, std::string_view what) {
  return [&context, name = std::move(name), what](std::exception_ptr error, durable::ExecutionRecord) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& escaped) {
      context.log(fmt::format("flowstate: could not {} execution {}: {}", what, name, escaped.what()));
    }
  };
}

}  // namespace

void launch_run(ApiContext& context, asio::any_io_executor executor, durable::ExecutionRecord record) {
  std::string name = record.name;
  asio::co_spawn(executor, context.host.run(std::move(record)), report(context, std::move(name), "run"));
}

void launch_redrive(ApiContext& context, asio::any_io_executor executor, durable::ExecutionRecord record,
                    std::optional<std::string> from) {
  std::string name = record.name;
  asio::co_spawn(executor, context.host.redrive(std::move(record), std::move(from)),
                 report(context, std::move(name), "redrive"));
}

void launch_resume(ApiContext& context, asio::any_io_executor executor, durable::ExecutionRecord record) {
  std::string name = record.name;
  asio::co_spawn(executor, context.host.resume(std::move(record)), report(context, std::move(name), "resume"));
}

std::size_t resume_running_executions(ApiContext& context, asio::any_io_executor executor) {
  std::size_t count = 0;
  for (auto& record : context.host.catalog().list(runtime::ExecutionStatus::running)) {
    // Children continue through the parent Task that started them.
    if (!record.parent.empty() || !record.map_run.empty() || context.host.running(record.id)) continue;
    launch_resume(context, executor, std::move(record));
    ++count;
  }
  return count;
}

}  // namespace flowstate::server
