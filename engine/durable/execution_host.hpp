// ExecutionHost: runs executions durably — new, resumed and redriven ones, top-level or
// started by a parent's Task — on one io_context with one store, and stops them. It owns
// the compiled plans of the definitions it runs (by content hash) and knows which
// executions are running in this process.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/plan.hpp"
#include "engine/durable/execution_catalog.hpp"
#include "engine/durable/execution_record.hpp"
#include "engine/durable/mock_configs.hpp"
#include "engine/durable/task_answers.hpp"
#include "engine/runtime/checkpoint.hpp"
#include "engine/runtime/clock.hpp"
#include "engine/runtime/execution_observer.hpp"
#include "engine/runtime/activity_queue.hpp"
#include "engine/runtime/map_run_control.hpp"
#include "engine/runtime/task_tokens.hpp"
#include "engine/store/store.hpp"
#include "engine/tasks/mock_config.hpp"
#include "engine/tasks/resource_registry.hpp"

namespace flowstate::durable {

/// A user's mistake found before anything runs (an invalid definition, a name in use, an
/// execution that cannot be resumed): what() is the message, one line per problem.
class ExecutionRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A state machine a nested execution's StateMachineArn names, found by
/// HostOptions::state_machines: its name and definition.
struct NamedDefinition {
  std::string machine;
  DefinitionSource source;
};

struct HostOptions {
  runtime::Clock* clock = nullptr;                ///< required: real time
  /// The clock of executions whose settings skip waits; null: they use `clock`.
  runtime::Clock* skip_waits_clock = nullptr;
  tasks::ResourceRegistry* resources = nullptr;   ///< required; the host adds nested executions
  std::uint64_t seed = 0;                         ///< 0: random
  /// The mock configuration files the executions' settings name (RunSettings::mock_config);
  /// null: nothing is mocked.
  MockConfigs* mocks = nullptr;
  /// Pure transitions written in one batch at most (StoreEventSink; 1: a batch each).
  std::size_t max_grouped = 64;
  /// false: executions keep only their records (status, input, output, links to children),
  /// no history, checkpoints or task logs, so nothing can resume, redrive or inspect them —
  /// for a store in memory that nothing reads afterwards (`run --no-store`).
  bool record_history = true;
  /// Counts what the executions reach (`flowstate test --coverage`); null: nothing counts.
  runtime::CoverageRecorder* coverage = nullptr;
  /// Each line a task writes to its log (it is also stored), with the state machine of the
  /// task's state: "" for the record's own, MACHINE/LABEL for a Distributed Map's child.
  std::function<void(const ExecutionRecord&, std::string_view machine, std::string_view state,
                     std::string_view line)>
      on_task_log;
  /// The state machine a nested startExecution's StateMachineArn names (the server's
  /// registry), or nullopt; when unset or nullopt, a definition file next to the parent's
  /// (nested_execution.hpp).
  std::function<std::optional<NamedDefinition>(std::string_view arn)> state_machines;
  /// Activity Tasks wait for workers in activities() (the server answers GetActivityTask);
  /// false: nothing would take them, so they fail at once.
  bool serve_activities = false;
  /// An execution started, resumed or was redriven in this process ("started", ...).
  std::function<void(const ExecutionRecord&, std::string_view what)> on_execution;
  /// Follows each execution that runs here (the CLI's live progress): called as it starts
  /// running, with its record; what it returns lives as long as that run. Unset: nobody
  /// follows, at no cost.
  std::function<std::unique_ptr<runtime::ExecutionObserver>(const ExecutionRecord&)> observe;
};

struct NewExecution {
  DefinitionSource definition;
  /// `definition` compiled already (from that text), or null: create compiles it.
  std::unique_ptr<definition::Plan> plan;
  boost::json::value input;
  std::string name;  ///< "" → a generated UUID
  std::string machine;  ///< the state machine's name; "" → the definition's (its file's stem)
  std::string parent;
  std::string invocation;           ///< the parent Task's invocation
  std::int64_t parent_redrive = 0;  ///< the parent's redrive count when it started this one
  RunSettings settings;
  std::string version_arn;          ///< ExecutionRecord::version_arn
  std::string alias_arn;            ///< ExecutionRecord::alias_arn
};

class ExecutionHost {
 public:
  ExecutionHost(store::Store& store, HostOptions options);
  ~ExecutionHost();

  /// Checks and records a new RUNNING execution; throws ExecutionRefused.
  ExecutionRecord create(NewExecution request);
  /// Runs a created execution to its end.
  boost::asio::awaitable<ExecutionRecord> run(ExecutionRecord record);
  /// Continues a RUNNING execution whose process died; throws ExecutionRefused.
  boost::asio::awaitable<ExecutionRecord> resume(ExecutionRecord record);
  /// AWS redrive of a FAILED, TIMED_OUT or ABORTED execution; with `from`, the top-level
  /// state to run again from with the input it last had. Throws ExecutionRefused.
  boost::asio::awaitable<ExecutionRecord> redrive(ExecutionRecord record,
                                                  std::optional<std::string> from);
  /// What redrive would run again and reuse; throws ExecutionRefused.
  std::vector<std::string> redrive_plan(const ExecutionRecord& record,
                                        const std::optional<std::string>& from);

  /// Stops a running execution of this process (and, through its Tasks, its children);
  /// `reason`: the error and cause its ExecutionAborted event records (StopExecution's).
  void stop(std::string_view id, std::optional<asl::Failure> reason = std::nullopt);
  void stop_all();
  bool running(std::string_view id) const { return running_.find(id) != running_.end(); }
  std::size_t running_count() const { return running_.size(); }
  /// The record of an execution running in this process.
  const ExecutionRecord* running_record(std::string_view id) const;

  /// Hands the SendTask* answers written for this process's callback tasks to them
  /// (task_answers.hpp); the driver calls it on SIGUSR1 and now and then.
  void collect_task_answers() { inbox_.collect(); }
  /// The same for the answers to one token (the server's SendTask* just wrote them).
  /// A task that does not wait yet reads them when it starts to (TaskTokens::on_wait).
  void collect_task_answers(const std::string& token) {
    if (tokens_.waiting(token)) inbox_.collect(token);
  }
  runtime::TaskTokens& task_tokens() { return tokens_; }
  runtime::ActivityQueue& activities() { return activities_; }
  /// The Map Runs running in this process (UpdateMapRun changes them here).
  runtime::MapRunControls& map_runs() { return map_runs_; }

  store::Store& store() { return store_; }
  const ExecutionCatalog& catalog() const { return catalog_; }
  const HostOptions& options() const { return options_; }
  /// The plans compiled so far, by definition hash (ExecutionRecord::definition).
  const std::map<std::string, std::unique_ptr<definition::Plan>, std::less<>>& plans() const { return plans_; }

 private:
  struct Running;
  /// Where a redrive continues: the checked and prepared checkpoint tree; with --from, also
  /// the new top-level checkpoint that replaces the stored ones.
  struct RedrivePoint {
    runtime::Checkpoint root;
    std::optional<std::string> from_checkpoint;
  };
  /// Refuses what cannot be redriven (ExecutionRefused).
  RedrivePoint redrive_point(const ExecutionRecord& record, const std::optional<std::string>& from);
  const definition::Plan& plan_of(const ExecutionRecord& record);
  boost::asio::awaitable<ExecutionRecord> execute(ExecutionRecord record,
                                                  const definition::Plan& plan,
                                                  const runtime::ExecutionResume* resume);

  store::Store& store_;
  HostOptions options_;
  ExecutionCatalog catalog_;
  runtime::TaskTokens tokens_;
  runtime::ActivityQueue activities_{tokens_};
  runtime::MapRunControls map_runs_;
  TaskAnswerInbox inbox_;
  std::map<std::string, std::unique_ptr<definition::Plan>, std::less<>> plans_;
  std::map<std::string, std::unique_ptr<Running>, std::less<>> running_;
};

/// Compiles definition text; throws ExecutionRefused with every diagnostic.
definition::Plan compile_definition(const DefinitionSource& source);

}  // namespace flowstate::durable
