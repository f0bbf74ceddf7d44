// Starting executions in the background of the server: each runs (or resumes, or is
// redriven) as its own coroutine on the host's io_context while the API keeps answering;
// what escapes one is logged, never thrown at the server.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "engine/durable/execution_record.hpp"
#include "engine/server/api_context.hpp"

namespace flowstate::server {

void launch_run(ApiContext& context, boost::asio::any_io_executor executor, durable::ExecutionRecord record);
/// `from`: the top-level state to run again from (flowstate's redrive --from).
void launch_redrive(ApiContext& context, boost::asio::any_io_executor executor, durable::ExecutionRecord record,
                    std::optional<std::string> from = std::nullopt);
void launch_resume(ApiContext& context, boost::asio::any_io_executor executor, durable::ExecutionRecord record);

/// Resumes every top-level RUNNING execution of the store (a server that was killed
/// left them); returns how many.
std::size_t resume_running_executions(ApiContext& context, boost::asio::any_io_executor executor);

}  // namespace flowstate::server
