#include "engine/runtime/state_attempt.hpp"

#include <utility>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/runtime/branch.hpp"
#include "engine/runtime/context_object.hpp"
#include "engine/runtime/fan_out.hpp"
#include "engine/runtime/map_run.hpp"

namespace flowstate::runtime {

namespace asio = boost::asio;
namespace json = boost::json;
using definition::CompiledState;

namespace {

// The items a Map iterates: JSONPath: the array ItemsPath selects; JSONata: "Items" built
// (an array, AWS's QueryEvaluationError otherwise), or the input itself.
struct MapItems {
  std::optional<json::value> built;       ///< JSONata Items' value, owned here
  const json::array* borrowed = nullptr;  ///< or the array inside the Map's input
  const json::array& array() const { return built ? built->get_array() : *borrowed; }
};

boost::system::result<MapItems, asl::Failure> map_items(const states::MapState& map,
                                                        states::QueryLanguage language,
                                                        const json::value& map_input,
                                                        const Lookups& lookups,
                                                        const data::PathScope& scope) {
  MapItems items;
  if (language == states::QueryLanguage::jsonpath) {
    auto selected = map.items(scope);
    if (!selected) return selected.error();
    items.borrowed = *selected;
    return items;
  }
  auto query_error = [](std::string cause) {
    return asl::Failure(std::string(asl::error_name::kQueryEvaluationError), std::move(cause));
  };
  if (!map.items_template) {
    if (!map_input.is_array())
      return query_error(fmt::format("Map state input must be an array but was: {}",
                                     data::serialize_json(map_input)));
    items.borrowed = &map_input.get_array();
    return items;
  }
  auto built = map.items_template->evaluate(lookups.jsonata());
  if (!built) return built.error();
  if (!built->is_array()) {
    std::string_view kind = built->is_object() ? "object" : built->is_string() ? "string"
                          : built->is_bool()   ? "boolean" : built->is_null() ? "null" : "number";
    return query_error(fmt::format("The JSONata expression '{}' specified for the field 'Items' returned "
                                   "an unexpected result type. Expected 'array', but was '{}' for value: {}",
                                   map.items_template->expression_text(), kind,
                                   data::serialize_json(*built)));
  }
  items.built = std::move(*built);
  return items;
}

}  // namespace

asio::awaitable<Attempt> attempt_map(ExecutionRun& run, BranchProgress& progress,
                                     const CompiledState& state,
                                     const states::MapState& map, const json::value& input,
                                     const std::optional<json::value>& context,
                                     std::chrono::system_clock::time_point entered_time,
                                     std::int64_t entered, std::int64_t previous,
                                     const Checkpoint* resume) {
  // The Map's effective input: the raw input itself unless InputPath selects a part.
  Lookups lookups = lookups_for(progress, context);
  std::optional<json::value> filtered;
  if (state.fields.input_path.mode != states::FilterPath::Mode::whole) {
    auto selected = select_filter_path(state.fields.input_path, input, lookups);
    if (!selected) co_return Attempt::fail(located(state, entered, selected.error()), previous);
    filtered = std::move(*selected);
  }
  const json::value& map_input = filtered ? *filtered : input;
  data::PathScope scope = lookups.over(map_input);
  auto item_list = map_items(map, state.fields.query_language, map_input, lookups, scope);
  if (!item_list) {
    Attempt attempt = Attempt::fail(located(state, entered, item_list.error()), previous);
    // AWS records MapStateFailed after a JSONata Items (or input) that is no array.
    if (state.fields.query_language == states::QueryLanguage::jsonata) attempt.state_failed_event = "MapStateFailed";
    co_return attempt;
  }
  const json::array* items = &item_list->array();
  auto concurrency = map.concurrency(scope);
  if (!concurrency) co_return Attempt::fail(located(state, entered, concurrency.error()), previous);
  if (map.jsonata_max_concurrency.expression) {
    auto evaluated = map.jsonata_max_concurrency.evaluate(lookups.jsonata());
    if (!evaluated) co_return Attempt::fail(located(state, entered, evaluated.error()), previous);
    concurrency = **evaluated;
  }
  if (map.distributed) {
    MapRunOutcome map_run = co_await run_map_run(run, progress, state, scope, lookups, *items, *concurrency,
                                                 entered_time, previous, resume);
    if (map_run.kind == MapRunOutcome::Kind::aborted)
      co_return Attempt{Attempt::Kind::aborted, {}, {}, map_run.last_event_id, {}, {}, false};
    if (map_run.kind == MapRunOutcome::Kind::failed) {
      if (!map_run.map_run_failed)
        co_return Attempt::fail(located(state, entered, map_run.failure), map_run.last_event_id);
      Attempt attempt = Attempt::fail(std::move(map_run.failure), map_run.last_event_id);
      attempt.state_failed_event = "MapStateFailed";
      attempt.from_children = true;
      co_return attempt;
    }
    std::int64_t succeeded = run.record("MapStateSucceeded", map_run.last_event_id);
    co_return finish_attempt(state, entered, input, json::value(std::move(map_run.results)), lookups,
                             succeeded);
  }
  std::size_t count = items->size();
  std::size_t limit = *concurrency == 0 ? asl::kInlineMapConcurrencyCeiling
                                        : static_cast<std::size_t>(*concurrency);
  std::optional<ChildrenResume> resumed;
  if (resume) resumed.emplace(*resume, count);
  std::int64_t started = start_children(
      run, progress,
      resume ? 0
             : run.record("MapStateStarted", previous,
                          [&] { return json::object{{"length", count}}; }),
      resume);
  std::optional<json::object> item_context;
  if (map.item_selector_reads_context)
    item_context = make_context_object(run, StateVisit{state.fields.name, entered_time, std::nullopt});

  std::vector<std::optional<json::value>> outputs =
      resumed ? std::move(resumed->finished) : std::vector<std::optional<json::value>>(count);
  progress.finished = &outputs;
  std::optional<asl::Failure> failure;
  auto iteration_details = [&](std::size_t i) {
    return json::object{{"name", state.fields.name}, {"index", i}};
  };
  // AWS links an iteration's MapIterationStarted to the last event of the iteration that ran
  // before it on the same slot (MapStateStarted for the first ones): sequential iterations
  // form one chain. A slot's chain end is pushed when its iteration ends and popped by the
  // next iteration the same worker starts (nothing runs in between on this io_context).
  std::vector<std::int64_t> chain_ends;
  FanOutResult fan = co_await fan_out(count, limit, [&](std::size_t i) -> asio::awaitable<bool> {
    if (outputs[i]) co_return true;  // finished before a resume
    const Checkpoint* checkpoint = resumed ? resumed->running[i] : nullptr;
    json::value item_input;
    std::int64_t iteration = 0;
    std::optional<Checkpoint> relinked;
    if (checkpoint && checkpoint->restarted) {
      // A redriven iteration starts again in the history, where it failed or was aborted,
      // and the state it runs again follows that start.
      iteration = run.record("MapIterationStarted",
                             checkpoint->in_state() ? checkpoint->last : checkpoint->previous,
                             [&] { return iteration_details(i); });
      if (!checkpoint->in_state()) {
        relinked = *checkpoint;
        relinked->previous = iteration;
        checkpoint = &*relinked;
      }
    } else if (!checkpoint) {
      auto selected = map_item_input(map, map_input, *items, i, item_context, lookups);
      if (!selected) {
        if (!failure) failure = located(state, entered, selected.error());
        co_return false;
      }
      item_input = std::move(*selected);
      std::int64_t previous_in_chain = started;
      if (!chain_ends.empty()) {
        previous_in_chain = chain_ends.back();
        chain_ends.pop_back();
      }
      iteration = run.record("MapIterationStarted", previous_in_chain,
                             [&] { return iteration_details(i); });
    }
    BranchProgress item(*map.processor, &progress, i);
    BranchOutcome outcome = co_await run_branch(run, item, std::move(item_input), iteration, checkpoint);
    chain_ends.push_back(outcome.last_event_id);
    switch (outcome.kind) {
      case BranchOutcome::Kind::succeeded:
        run.record("MapIterationSucceeded", outcome.last_event_id, [&] { return iteration_details(i); });
        run.child_finished(item, outcome.output);
        outputs[i] = std::move(outcome.output);
        co_return true;
      case BranchOutcome::Kind::failed:
        run.record("MapIterationFailed", outcome.last_event_id, [&] { return iteration_details(i); });
        if (!failure) failure = std::move(outcome.failure);
        co_return false;
      case BranchOutcome::Kind::aborted:
        run.record("MapIterationAborted", outcome.last_event_id, [&] { return iteration_details(i); });
        co_return false;
    }
    co_return false;
  });
  if (fan.kind == FanOutResult::Kind::aborted)
    co_return Attempt{Attempt::Kind::aborted, {}, {}, run.last_event_id, {}, {}, false};
  if (fan.kind == FanOutResult::Kind::failed) {
    Attempt attempt = Attempt::fail(*failure, run.last_event_id);
    attempt.state_failed_event = "MapStateFailed";
    attempt.from_children = true;
    co_return attempt;
  }
  std::int64_t succeeded = run.record("MapStateSucceeded", run.last_event_id);
  json::array results;
  results.reserve(count);
  for (auto& output : outputs) results.push_back(std::move(*output));
  co_return finish_attempt(state, entered, input, json::value(std::move(results)), lookups, succeeded);
}

}  // namespace flowstate::runtime
