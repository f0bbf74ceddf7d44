#include "engine/durable/execution_host.hpp"

#include <unistd.h>

#include <filesystem>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "engine/data/digest.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"
#include "engine/definition/compiler.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"
#include "engine/durable/nested_execution.hpp"
#include "engine/durable/resume_point.hpp"
#include "engine/durable/store_event_sink.hpp"
#include "engine/durable/store_keys.hpp"
#include "engine/runtime/execution.hpp"
#include "engine/tasks/task_processes.hpp"

namespace flowstate::durable {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;

struct ExecutionHost::Running {
  explicit Running(asio::any_io_executor executor, ExecutionRecord record_)
      : stop(executor), record(std::move(record_)) {
    stop.expires_at(asio::steady_timer::time_point::max());
  }
  asio::steady_timer stop;  ///< cancelled to stop the execution
  ExecutionRecord record;
  std::optional<tasks::TaskMocks> mocks;  ///< its test case, when it runs with one
  std::optional<asl::Failure> abort_reason;  ///< what stop() was given
  std::unique_ptr<runtime::ExecutionObserver> observer;  ///< HostOptions::observe's
};

namespace {

// Never throws: `||` waits for a *successful* operand, so an exception escaping the
// execution (a store failure) would leave it waiting for the stop timer; it is kept in
// `escaped` and rethrown after the race.
asio::awaitable<void> keep_result(const definition::Plan& plan, json::value input,
                                  runtime::ExecutionOptions options,
                                  std::optional<runtime::ExecutionResult>& out,
                                  std::exception_ptr& escaped) {
  try {
    out = co_await runtime::run_execution(plan, std::move(input), std::move(options));
  } catch (...) {
    escaped = std::current_exception();
  }
}

asio::awaitable<void> until_stopped(asio::steady_timer& stop) {
  co_await stop.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

definition::Plan compile_definition(const DefinitionSource& source) {
  definition::Diagnostics diagnostics;
  std::optional<definition::Plan> plan;
  if (auto document = definition::Document::parse(source.text, source.file, diagnostics))
    plan = definition::compile_plan(*document, diagnostics);
  if (!plan || !diagnostics.empty()) {
    std::string message;
    for (const auto& diagnostic : diagnostics.sorted()) {
      if (!message.empty()) message += '\n';
      message += to_string(diagnostic);
    }
    throw ExecutionRefused(message);
  }
  if (!plan->unsupported.empty()) {
    std::string message;
    for (const auto& feature : plan->unsupported) {
      if (!message.empty()) message += '\n';
      message += to_string(feature);
    }
    throw ExecutionRefused(message);
  }
  return std::move(*plan);
}

ExecutionHost::ExecutionHost(store::Store& store, HostOptions options)
    : store_(store), options_(std::move(options)), catalog_(store), inbox_(store.directory(), tokens_) {
  add_nested_executions(*options_.resources, *this);
  tokens_.on_wait = [this](const std::string& token) { inbox_.collect(token); };
}

ExecutionHost::~ExecutionHost() = default;

const ExecutionRecord* ExecutionHost::running_record(std::string_view id) const {
  auto found = running_.find(id);
  return found == running_.end() ? nullptr : &found->second->record;
}

const definition::Plan& ExecutionHost::plan_of(const ExecutionRecord& record) {
  if (auto found = plans_.find(record.definition); found != plans_.end()) return *found->second;
  auto source = catalog_.definition(record.definition);
  if (!source)
    throw ExecutionRefused(fmt::format("the store has lost the definition of execution {} ({})",
                                       record.name, record.definition));
  auto plan = std::make_unique<definition::Plan>(compile_definition(*source));
  return *plans_.emplace(record.definition, std::move(plan)).first->second;
}

ExecutionRecord ExecutionHost::create(NewExecution request) {
  std::string hash = data::hex_digest(data::DigestAlgorithm::sha256, request.definition.text);
  if (!plans_.contains(hash))
    plans_.emplace(hash, request.plan ? std::move(request.plan)
                                      : std::make_unique<definition::Plan>(compile_definition(request.definition)));
  const definition::Plan& plan = *plans_.at(hash);

  ExecutionRecord record;
  record.name = request.name.empty() ? data::random_uuid() : request.name;  // as AWS names them
  if (auto problem = name_problem(record.name))
    throw ExecutionRefused(fmt::format("the execution name '{}' {}", record.name, *problem));
  // A generated name is a random UUID and an id has 64 random bits: a deferred store (one
  // that has not opened RocksDB, store.hpp) does not open it only to look for a collision.
  // A name the user chose is always looked up.
  if (!request.name.empty() || !store_.deferred())
    if (auto existing = store_.get(keys::name(record.name)))
      throw ExecutionRefused(fmt::format("an execution named '{}' already exists in the store (id {}); "
                                         "choose another --name, or resume/redrive that one",
                                         record.name, *existing));
  do record.id = fmt::format("{:016x}", data::random_u64());
  while (!store_.deferred() && store_.get(keys::execution(record.id)));
  record.machine = request.machine.empty() ? plan.name : std::move(request.machine);
  record.definition = hash;
  // Absolute, so nested definitions resolve next to it whatever the working directory of a
  // later resume or redrive.
  record.file = request.definition.file.empty()
                    ? std::string()
                    : std::filesystem::absolute(request.definition.file).lexically_normal().string();
  record.input = std::move(request.input);
  record.start = options_.clock->now();
  record.parent = std::move(request.parent);
  record.invocation = std::move(request.invocation);
  record.settings = std::move(request.settings);
  record.version_arn = std::move(request.version_arn);
  record.alias_arn = std::move(request.alias_arn);
  record.pid = static_cast<int>(::getpid());

  store::WriteBatch batch;
  json::object definition{{"file", request.definition.file}, {"text", request.definition.text}};
  batch.put(keys::definition(hash), data::serialize_json(definition));
  batch.put(keys::name(record.name), record.id);
  batch.put(keys::execution(record.id), data::serialize_json(to_json(record)));
  if (!record.parent.empty())
    batch.put(keys::child(record.parent, request.parent_redrive, record.invocation), record.id);
  store_.write(batch);
  return record;
}

asio::awaitable<ExecutionRecord> ExecutionHost::run(ExecutionRecord record) {
  const definition::Plan& plan = plan_of(record);
  if (options_.on_execution) options_.on_execution(record, "started");
  co_return co_await execute(std::move(record), plan, nullptr);
}

namespace {

// A Distributed Map's child runs in its parent's progress tree: only the parent continues it.
void refuse_map_run_child(const ExecutionRecord& record, std::string_view what) {
  if (record.map_run.empty()) return;
  throw ExecutionRefused(fmt::format("execution {} is a child execution of the Map Run {}; {} its "
                                     "parent execution {} instead",
                                     record.name, record.map_run, what, record.parent));
}

}  // namespace

asio::awaitable<ExecutionRecord> ExecutionHost::resume(ExecutionRecord record) {
  refuse_map_run_child(record, "resume");
  if (record.status != runtime::ExecutionStatus::running)
    throw ExecutionRefused(fmt::format("execution {} is {}: only a RUNNING execution whose process "
                                       "stopped can be resumed{}",
                                       record.name, runtime::to_string(record.status),
                                       record.status == runtime::ExecutionStatus::succeeded
                                           ? std::string()
                                           : "; use 'flowstate redrive' to run it again"));
  if (running(record.id))
    throw ExecutionRefused(fmt::format("execution {} is already running", record.name));
  const definition::Plan& plan = plan_of(record);
  // What the tasks of the process that died left running would run beside their reruns.
  tasks::stop_leftover_processes(record.id, tasks::kLeftoverGrace);
  auto checkpoints = catalog_.checkpoints(record.id);
  if (checkpoints.empty()) {
    // Recorded, but the process died before its first transition: start it again.
    if (options_.on_execution) options_.on_execution(record, "started again");
    store::WriteBatch batch;
    batch.erase_prefix(keys::events_prefix(record.id));
    store_.write(batch);
    co_return co_await execute(std::move(record), plan, nullptr);
  }
  auto tree = checkpoint_tree(plan.machine, checkpoints, catalog_.finished(record.id));
  if (!tree)
    throw ExecutionRefused(fmt::format("execution {} cannot be resumed: {}", record.name, tree.error()));
  runtime::ExecutionResume resume;
  resume.root = std::move(*tree);
  resume.last_event_id = catalog_.last_event_id(record.id);
  resume.start = record.start;
  resume.timeout_start = record.redrive_date.value_or(record.start);
  resume.redrive_count = record.redrive_count;
  if (options_.on_execution) options_.on_execution(record, "resumed");
  co_return co_await execute(std::move(record), plan, &resume);
}

namespace {

bool redrivable(runtime::ExecutionStatus status) {
  return status == runtime::ExecutionStatus::failed || status == runtime::ExecutionStatus::timed_out ||
         status == runtime::ExecutionStatus::aborted;
}

// The input the top-level state `name` last entered with, from the history.
std::optional<json::value> last_input_of(const ExecutionCatalog& catalog, const ExecutionRecord& record,
                                         std::string_view name) {
  std::optional<json::value> input;
  catalog.events(record.id, [&](const json::value& event) {
    const json::object& object = event.get_object();
    const json::value* details = object.if_contains("stateEnteredEventDetails");
    if (!details || !details->is_object()) return true;
    const json::value* state = details->get_object().if_contains("name");
    const json::value* text = details->get_object().if_contains("input");
    if (state && state->is_string() && state->get_string() == name && text && text->is_string())
      if (auto parsed = data::parse_json(text->get_string())) input = std::move(*parsed);
    return true;
  });
  return input;
}

}  // namespace

ExecutionHost::RedrivePoint ExecutionHost::redrive_point(const ExecutionRecord& record,
                                                         const std::optional<std::string>& from) {
  refuse_map_run_child(record, "redrive");
  if (!redrivable(record.status))
    throw ExecutionRefused(fmt::format("execution {} is {}: only FAILED, TIMED_OUT or ABORTED "
                                       "executions can be redriven{}",
                                       record.name, runtime::to_string(record.status),
                                       record.status == runtime::ExecutionStatus::running
                                           ? " (use 'flowstate resume' for one whose process died)"
                                           : ""));
  const definition::Plan& plan = plan_of(record);
  RedrivePoint point;
  if (from) {
    auto index = plan.machine.find(*from);
    if (!index)
      throw ExecutionRefused(fmt::format("redrive --from: the state machine {} has no top-level "
                                         "state '{}'",
                                         record.machine, *from));
    auto input = last_input_of(catalog_, record, *from);
    if (!input)
      throw ExecutionRefused(fmt::format("redrive --from: execution {} never entered state '{}', so "
                                         "there is no input to run it again with",
                                         record.name, *from));
    runtime::BranchProgress root(plan.machine, nullptr, 0);
    root.stand_before(*index, *input, catalog_.last_event_id(record.id));
    json::value checkpoint(runtime::checkpoint_json(root));
    point.from_checkpoint = data::serialize_json(checkpoint);
    point.root = std::move(*runtime::read_checkpoint(plan.machine, checkpoint));
    return point;
  }
  auto tree = checkpoint_tree(plan.machine, catalog_.checkpoints(record.id), catalog_.finished(record.id));
  if (!tree)
    throw ExecutionRefused(fmt::format("execution {} cannot be redriven: {}", record.name, tree.error()));
  point.root = std::move(*tree);
  prepare_redrive(point.root, plan.machine);
  return point;
}

std::vector<std::string> ExecutionHost::redrive_plan(const ExecutionRecord& record,
                                                     const std::optional<std::string>& from) {
  RedrivePoint point = redrive_point(record, from);
  const definition::StateMachine& machine = plan_of(record).machine;
  if (!from) return describe_resume(point.root, machine);
  return {fmt::format("run again: {} ({}) with input {}, and every state after it", *from,
                      asl::to_string(machine.states[point.root.state].fields.type),
                      data::serialize_json(point.root.input))};
}

asio::awaitable<ExecutionRecord> ExecutionHost::redrive(ExecutionRecord record,
                                                        std::optional<std::string> from) {
  RedrivePoint point = redrive_point(record, from);  // refuses what cannot be redriven
  const definition::Plan& plan = plan_of(record);
  runtime::ExecutionResume resume;
  resume.last_event_id = catalog_.last_event_id(record.id);
  resume.root = std::move(point.root);
  if (point.from_checkpoint) {
    // The checkpoints of the earlier run are gone; the new one is in place before anything
    // runs again.
    store::WriteBatch batch;
    batch.erase_prefix(keys::checkpoints_prefix(record.id));
    batch.erase_prefix(keys::finished_prefix(record.id));
    batch.put(keys::checkpoint(record.id, ""), *point.from_checkpoint);
    store_.write(batch);
  }
  record.redrive_count += 1;
  record.redrive_date = options_.clock->now();
  resume.start = record.start;
  resume.timeout_start = *record.redrive_date;
  resume.redrive_count = record.redrive_count;
  resume.redriven = true;
  if (options_.on_execution) options_.on_execution(record, "redriven");
  co_return co_await execute(std::move(record), plan, &resume);
}

void ExecutionHost::stop(std::string_view id, std::optional<asl::Failure> reason) {
  if (auto found = running_.find(id); found != running_.end()) {
    if (reason && !found->second->abort_reason) found->second->abort_reason = std::move(reason);
    found->second->stop.cancel();
  }
}

void ExecutionHost::stop_all() {
  for (auto& [id, running] : running_) running->stop.cancel();
}

asio::awaitable<ExecutionRecord> ExecutionHost::execute(ExecutionRecord record,
                                                        const definition::Plan& plan,
                                                        const runtime::ExecutionResume* resume) {
  auto executor = co_await asio::this_coro::executor;
  // A machine the test case does not name runs unmocked (a child of a mocked parent).
  const tasks::MockedStates* mocked = nullptr;
  if (!record.settings.test_case.empty() && options_.mocks) {
    auto config = options_.mocks->load(record.settings.mock_config);
    if (!config)
      throw ExecutionRefused(fmt::format("execution {} runs with the mock configuration {}: {}", record.name,
                                         record.settings.mock_config, config.error()));
    mocked = (*config)->test_case(record.machine, record.settings.test_case);
  }
  StoreEventSink sink(store_, record.id, options_.max_grouped, &record);
  record.status = runtime::ExecutionStatus::running;
  record.output.reset();
  record.error.reset();
  record.cause.reset();
  record.stop.reset();
  record.pid = static_cast<int>(::getpid());
  if (resume) sink.write_record(record);
  else sink.starts_empty();

  auto& running = running_[record.id];
  running = std::make_unique<Running>(executor, record);
  runtime::ExecutionOptions options;
  options.name = record.name;
  options.id = record.id;
  options.clock = record.settings.skip_waits && options_.skip_waits_clock ? options_.skip_waits_clock : options_.clock;
  options.resources = options_.resources;
  if (options_.record_history) options.events = &sink;
  // SendTask* reaches a store on disk only (task_answers.hpp): in memory, a callback task
  // could never be answered, so it fails at once.
  if (!store_.in_memory()) options.tokens = &tokens_;
  options.map_runs = &map_runs_;
  if (options_.serve_activities) options.activities = &activities_;
  options.seed = options_.seed;
  options.working_directory = record.settings.working_directory;
  options.resume = resume;
  // A Distributed Map's child keeps the ARNs its Map Run gives it.
  if (record.map_run.empty()) options.machine = record.machine;
  options.abort_reason = &running->abort_reason;
  options.coverage = options_.coverage;
  if (mocked) options.mocks = &running->mocks.emplace(*mocked);
  if (options_.observe) {
    running->observer = options_.observe(running->record);
    options.observer = running->observer.get();
  }
  const ExecutionRecord& current = running->record;
  options.on_child_task_log = [this, &sink, &current](std::string_view machine, std::string_view state,
                                                       std::string_view line) {
    if (options_.record_history) sink.log(state, line);
    if (options_.on_task_log) options_.on_task_log(current, machine, state, line);
  };
  options.on_task_log = [log = options.on_child_task_log](std::string_view state, std::string_view line) {
    log("", state, line);
  };

  std::optional<runtime::ExecutionResult> result;
  std::exception_ptr escaped;
  co_await (keep_result(plan, record.input, std::move(options), result, escaped) ||
            until_stopped(running->stop));
  running_.erase(record.id);
  if (escaped) std::rethrow_exception(escaped);

  record.status = result->status;
  if (result->output) record.output = std::move(*result->output);
  if (result->failure) {
    record.error = result->failure->error;
    record.cause = result->failure->cause;
  }
  record.stop = result->stop;
  record.pid = 0;
  sink.write_record(record);
  if (record.status != runtime::ExecutionStatus::running) inbox_.forget(record.id);
  co_return record;
}

}  // namespace flowstate::durable
