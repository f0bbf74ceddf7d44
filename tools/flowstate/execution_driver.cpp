#include "tools/flowstate/execution_driver.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <csignal>
#include <exception>
#include <iostream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "engine/tasks/command_task.hpp"
#include "engine/tasks/lambda_invoke.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace fs = std::filesystem;

fs::path stop_requests_folder(const fs::path& store) { return store / "stop-requests"; }

ExecutionDriver::ExecutionDriver(store::Store& store, const DriveSettings& settings) : store_(store) {
  // Commands this process runs answer their callback tasks with `flowstate send-task-*`,
  // which must find this store without being told.
  if (!store.in_memory()) ::setenv("FLOWSTATE_STORE", fs::absolute(store.directory()).c_str(), 1);
  // What a command task starts and leaves behind (a daemon, a process that left its group)
  // is adopted by this process instead of init, so the task's end finds and stops it
  // (child_process.hpp).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  resources_.add(std::string(tasks::kCommandResource), std::make_shared<tasks::CommandTask>());
  if (settings.lambda) tasks::add_lambda_invoke(resources_, *settings.lambda);
  durable::HostOptions options;
  options.clock = &real_clock_;
  options.skip_waits_clock = &skip_clock_;
  options.resources = &resources_;
  options.seed = settings.seed;
  if (settings.mocks) mock_configs_.borrow(settings.mocks_path, *settings.mocks);
  options.mocks = &mock_configs_;
  options.state_machines = settings.state_machines;
  options.serve_activities = settings.serve_activities;
  // Nothing reads a store in memory once the command ends, unless the command does.
  options.record_history = !store.in_memory() || settings.history_in_memory;
  options.coverage = settings.coverage;
  if (settings.progress != ProgressMode::none) {
    progress_ = std::make_unique<LiveProgress>(io_.get_executor(), settings.progress, STDERR_FILENO);
    options.observe = [this](const durable::ExecutionRecord& record) { return progress_->observe(record); };
  }
  if (!settings.quiet) {
    // Through the live progress when there is one, so the lines appear above its status.
    auto print = [this](std::string_view line) {
      if (progress_) progress_->print(line);
      else std::cerr << line << '\n';
    };
    // A line of the run's own states is "[State] line"; of a nested execution's or a
    // Distributed Map child's, "[machine/State] line".
    options.on_task_log = [print](const durable::ExecutionRecord& record, std::string_view machine,
                                  std::string_view state, std::string_view line) {
      if (!machine.empty()) print(fmt::format("[{}/{}] {}", machine, state, line));
      else if (record.parent.empty()) print(fmt::format("[{}] {}", state, line));
      else print(fmt::format("[{}/{}] {}", record.machine, state, line));
    };
    // In memory, an execution's id leads nowhere: only nested ones are worth a line.
    options.on_execution = [print, in_memory = store.in_memory()](const durable::ExecutionRecord& record,
                                                                  std::string_view what) {
      if (in_memory && record.parent.empty()) return;
      print(fmt::format("flowstate: execution {} (id {}) of {} {}", record.name, record.id, record.machine, what));
    };
  }
  host_ = std::make_unique<durable::ExecutionHost>(store, std::move(options));
}

ExecutionDriver::~ExecutionDriver() = default;

durable::ExecutionRecord ExecutionDriver::drive(
    std::function<asio::awaitable<durable::ExecutionRecord>(durable::ExecutionHost&)> start) {
  std::optional<durable::ExecutionRecord> result;
  std::exception_ptr failure;
  asio::co_spawn(io_, start(*host_), [&](std::exception_ptr error, durable::ExecutionRecord record) {
    failure = error;
    if (!error) result = std::move(record);
    // Fire-and-forget children may still run; the signals stay armed until they end.
  });
  // Run until the top-level execution and everything it started have ended.
  run_until([&] { return (result || failure) && host_->running_count() == 0; }, {});
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

void ExecutionDriver::serve(std::function<asio::awaitable<void>()> start, std::function<void()> on_stop) {
  bool done = false;
  std::exception_ptr failure;
  asio::co_spawn(io_, start(), [&](std::exception_ptr error) {
    failure = error;
    done = true;
    if (error) host_->stop_all();
  });
  run_until([&] { return done && host_->running_count() == 0; }, std::move(on_stop));
  if (failure) std::rethrow_exception(failure);
}

void ExecutionDriver::run_until(const std::function<bool()>& finished, std::function<void()> on_stop) {
  // SIGHUP (the terminal went away) and SIGQUIT stop the executions as SIGTERM does: left to
  // their default, they would end this process and leave the executions RUNNING with their
  // commands still running.
  asio::signal_set stops(io_, SIGINT, SIGTERM, SIGHUP);
  stops.add(SIGQUIT);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& error, int) {
        if (error) return;
        host_->stop_all();
        if (on_stop) on_stop();
        stops.async_wait(on_signal);  // a second Ctrl-C while stopping changes nothing
      };
  stops.async_wait(on_signal);

  // A store in memory is this process's alone: no other process sends requests or answers.
  const bool listens = !store_.in_memory();
  asio::signal_set requests(io_);
  if (listens) requests.add(SIGUSR1);
  fs::path folder = listens ? stop_requests_folder(store_.directory()) : fs::path();
  std::function<void(const boost::system::error_code&, int)> on_request =
      [&](const boost::system::error_code& error, int) {
        if (error) return;
        std::error_code ignored;
        for (const auto& entry : fs::directory_iterator(folder, ignored)) {
          std::string id = entry.path().filename().string();
          if (host_->running(id)) {
            host_->stop(id);
            fs::remove(entry.path(), ignored);
          }
        }
        host_->collect_task_answers();
        requests.async_wait(on_request);
      };
  if (listens) requests.async_wait(on_request);

  // SendTask* answers come with a SIGUSR1 (above), and a task that starts waiting reads its
  // own (TaskTokens::on_wait); this poll covers a sender that saw another process in the
  // execution's record than the one holding the store (a resume starting meanwhile).
  asio::steady_timer poll(io_);
  std::function<void(const boost::system::error_code&)> on_poll = [&](const boost::system::error_code& error) {
    if (error) return;
    host_->collect_task_answers();  // nothing to read while no task waits
    poll.expires_after(std::chrono::seconds(1));
    poll.async_wait(on_poll);
  };
  if (listens) {
    poll.expires_after(std::chrono::seconds(1));
    poll.async_wait(on_poll);
  }

  while (!io_.stopped()) {
    io_.run_one();
    if (finished()) break;
  }
  stops.cancel();
  requests.cancel();
  poll.cancel();
  io_.run();
}

}  // namespace flowstate::cli
