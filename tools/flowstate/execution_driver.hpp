// ExecutionDriver: runs executions through an ExecutionHost on this process's io_context
// until they end (drive: one command's execution), or until a signal (serve: the server).
// Ctrl-C, SIGTERM, SIGHUP (the terminal closed) and SIGQUIT stop every execution (ABORTED),
// and with it every process its command tasks started; a `flowstate stop`
// from another process leaves a request under the store's stop-requests/ folder and sends
// SIGUSR1, and the execution it names stops.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "engine/durable/execution_host.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/store/store.hpp"
#include "engine/tasks/lambda_endpoint.hpp"
#include "engine/tasks/resource_registry.hpp"
#include "tools/flowstate/live_progress.hpp"
#include "tools/flowstate/progress_option.hpp"

namespace flowstate::cli {

struct DriveSettings {
  bool quiet = false;
  std::uint64_t seed = 0;
  /// A mock configuration file read already, and its absolute path as executions record it;
  /// the files other executions name are read when they start (durable::MockConfigs).
  const tasks::MockConfig* mocks = nullptr;
  std::string mocks_path;
  /// Serves Lambda functions (ExecutionRecord::lambda_endpoint); null: none is served.
  const tasks::LambdaEndpoint* lambda = nullptr;
  /// durable::HostOptions::state_machines (the server's registry); unset: files only.
  std::function<std::optional<durable::NamedDefinition>(std::string_view arn)> state_machines;
  bool serve_activities = false;  ///< durable::HostOptions::serve_activities (the server)
  /// A store in memory keeps the executions' histories too (`flowstate test` reads them);
  /// otherwise only a store on disk does (durable::HostOptions::record_history).
  bool history_in_memory = false;
  runtime::CoverageRecorder* coverage = nullptr;  ///< durable::HostOptions::coverage
  /// The live progress shown on stderr (live_progress.hpp); none: only task logs and messages.
  ProgressMode progress = ProgressMode::none;
};

/// Where `flowstate stop` leaves its requests: one empty file per execution id.
std::filesystem::path stop_requests_folder(const std::filesystem::path& store);

class ExecutionDriver {
 public:
  ExecutionDriver(store::Store& store, const DriveSettings& settings);
  ~ExecutionDriver();

  durable::ExecutionHost& host() { return *host_; }
  const tasks::ResourceRegistry& resources() const { return resources_; }
  /// The mock configurations executions name; more can be lent to it before they start.
  durable::MockConfigs& mock_configs() { return mock_configs_; }

  /// Runs `start` (a host call) and everything it starts to the end; rethrows what escaped.
  durable::ExecutionRecord drive(
      std::function<boost::asio::awaitable<durable::ExecutionRecord>(durable::ExecutionHost&)> start);
  /// Runs `start` (a long-lived service such as the API server) until SIGINT or SIGTERM,
  /// which stop every execution and call `on_stop` (which must make `start` return); returns
  /// once `start` has returned and every execution has ended; rethrows what escaped it.
  void serve(std::function<boost::asio::awaitable<void>()> start, std::function<void()> on_stop);

  boost::asio::io_context& io() { return io_; }

 private:
  /// Runs the io_context, with the stop signals and stop requests armed, until `finished`.
  void run_until(const std::function<bool()>& finished, std::function<void()> on_stop);

  store::Store& store_;
  runtime::RealClock real_clock_;
  runtime::SkipWaitsClock skip_clock_;
  durable::MockConfigs mock_configs_;
  tasks::ResourceRegistry resources_;
  // Destroyed in reverse: the host's executions and the display before their io_context.
  boost::asio::io_context io_;
  std::unique_ptr<LiveProgress> progress_;
  std::unique_ptr<durable::ExecutionHost> host_;
};

}  // namespace flowstate::cli
