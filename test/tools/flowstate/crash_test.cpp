// The crash test: a pipeline of 38 command tasks (top-level Tasks, a Parallel, an inline Map,
// a Distributed Map and a nested .sync:2 child machine) is killed with SIGKILL at seeded random points and
// resumed each time, with the real `flowstate` binary, real child processes and a real store.
// At the end its output equals an uninterrupted run's, no task whose TaskSucceeded the store
// held before a kill ran again (each task appends its label to a ledger file), and the
// histories are well-formed. FLOWSTATE_CRASH_SEED replays a failure with the seed it printed.
#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "test/harness/flowstate_binary.hpp"
#include "test/harness/history_check.hpp"
#include "test/harness/temp_dir.hpp"

namespace flowstate::cli {
namespace {

namespace json = boost::json;
using test::FlowstateProcess;
using test::run_flowstate;
using test::TempDir;

constexpr int kKills = 20;

// Appends its label to the ledger, works a little, and prints a result derived from its
// input: {"label": L, "i": map index or 0, "v": (V * 3 + K) mod 1000003}.
constexpr std::string_view kScript =
    R"(echo "$L" >> "$LEDGER"; sleep "$S"; )"
    R"(echo "{\"label\":\"$L\",\"i\":$I,\"v\":$(( (V * 3 + K) % 1000003 ))}")";

struct TaskSpec {
  std::string name;
  std::string label;       ///< a literal, or an intrinsic (label_is_path)
  bool label_is_path = false;
  std::string value_path;  ///< where the task's V comes from
  std::string index;       ///< "$.i" inside the Map, else "" (I = 0)
  std::string result_path; ///< "" keeps the default ($, the result replaces the input)
  std::string next;        ///< "" ends the machine
};

json::object command_task(const TaskSpec& spec, const std::string& ledger, int k) {
  json::object env;
  env["LEDGER"] = ledger;
  if (spec.label_is_path) env["L.$"] = spec.label;
  else env["L"] = spec.label;
  env["V.$"] = fmt::format("States.Format('{{}}', {})", spec.value_path);
  if (spec.index.empty()) env["I"] = "0";
  else env["I.$"] = fmt::format("States.Format('{{}}', {})", spec.index);
  env["K"] = std::to_string(k);
  env["S"] = fmt::format("0.0{}", 2 + k % 4);  // 20-50 ms, so kills land inside tasks too
  json::object task{{"Type", "Task"},
                    {"Resource", "arn:flowstate:::command"},
                    {"Parameters", json::object{{"Shell", true}, {"Command", kScript}, {"Env", env}}}};
  if (!spec.result_path.empty()) task["ResultPath"] = spec.result_path;
  if (spec.next.empty()) task["End"] = true;
  else task["Next"] = spec.next;
  return task;
}

// A machine of tasks run one after another, each reading the previous one's "v".
json::object chain(const std::string& prefix, int count, const std::string& ledger, int k0,
                   bool in_map) {
  json::object states;
  for (int n = 1; n <= count; ++n) {
    std::string name = fmt::format("{}{}", prefix, n);
    TaskSpec spec;
    spec.name = name;
    if (in_map) {
      spec.label = fmt::format("States.Format('{}#{{}}', $.i)", name);
      spec.label_is_path = true;
      spec.index = "$.i";
    } else {
      spec.label = name;
    }
    spec.value_path = "$.v";
    if (n < count) spec.next = fmt::format("{}{}", prefix, n + 1);
    states[name] = command_task(spec, ledger, k0 + n);
  }
  return json::object{{"StartAt", prefix + "1"}, {"States", states}};
}

struct Pipeline {
  std::string parent;  ///< the parent definition's path
  std::string ledger;
  std::vector<std::string> labels;  ///< every task invocation's label
};

// parent: T1 → T2 → Par (3 branches × 3 tasks) → T3 → Fan (Map, 6 items × 2 tasks,
// MaxConcurrency 3) → Dist (Distributed Map, 6 child executions × 1 task, MaxConcurrency 2)
// → T4 → Child (startExecution.sync:2 of child.json: 5 tasks) → T5 → T6.
Pipeline write_pipeline(const TempDir& dir) {
  Pipeline pipeline;
  pipeline.ledger = (dir / "ledger.txt").string();
  const std::string& ledger = pipeline.ledger;
  json::object states;
  auto top = [&](std::string name, std::string value_path, std::string next, int k) {
    TaskSpec spec{name, name, false, value_path, "", fmt::format("$.r{}", name.substr(1)), next};
    states[name] = command_task(spec, ledger, k);
    pipeline.labels.push_back(name);
  };
  top("T1", "$.v", "T2", 1);
  top("T2", "$.r1.v", "Par", 2);
  json::array branches;
  for (int b = 0; b < 3; ++b) {
    std::string prefix = fmt::format("P{}_", b);
    branches.push_back(chain(prefix, 3, ledger, 10 * (b + 1), false));
    for (int n = 1; n <= 3; ++n) pipeline.labels.push_back(fmt::format("{}{}", prefix, n));
  }
  states["Par"] = json::object{{"Type", "Parallel"},
                               {"Branches", branches},
                               {"Parameters", json::object{{"v.$", "$.r2.v"}}},
                               {"ResultPath", "$.par"},
                               {"Next", "T3"}};
  top("T3", "$.par[2].v", "Fan", 3);
  states["Fan"] = json::object{
      {"Type", "Map"},
      {"ItemsPath", "$.items"},
      {"MaxConcurrency", 3},
      {"ItemSelector", json::object{{"v.$", "$$.Map.Item.Value"}, {"i.$", "$$.Map.Item.Index"}}},
      {"ItemProcessor", chain("M", 2, ledger, 40, true)},
      {"ResultPath", "$.map"},
      {"Next", "Dist"}};
  for (int i = 0; i < 6; ++i)
    for (int n = 1; n <= 2; ++n) pipeline.labels.push_back(fmt::format("M{}#{}", n, i));
  // The same items again as a Distributed Map: each a child execution with its own history.
  json::object processor = chain("D", 1, ledger, 60, true);
  processor["ProcessorConfig"] = json::object{{"Mode", "DISTRIBUTED"}, {"ExecutionType", "STANDARD"}};
  states["Dist"] = json::object{
      {"Type", "Map"},
      {"ItemsPath", "$.items"},
      {"MaxConcurrency", 2},
      {"Label", "Dist"},
      {"ItemSelector", json::object{{"v.$", "$$.Map.Item.Value"}, {"i.$", "$$.Map.Item.Index"}}},
      {"ItemProcessor", processor},
      {"ResultPath", "$.dist"},
      {"Next", "T4"}};
  for (int i = 0; i < 6; ++i) pipeline.labels.push_back(fmt::format("D1#{}", i));
  top("T4", "$.r3.v", "Child", 4);
  states["Child"] = json::object{
      {"Type", "Task"},
      {"Resource", "arn:aws:states:::states:startExecution.sync:2"},
      {"Parameters", json::object{{"StateMachineArn", "child.json"},
                                  {"Input", json::object{{"v.$", "$.r4.v"}}}}},
      {"ResultSelector", json::object{{"v.$", "$.Output.v"}, {"label.$", "$.Output.label"}}},
      {"ResultPath", "$.child"},
      {"Next", "T5"}};
  top("T5", "$.child.v", "T6", 5);
  top("T6", "$.r5.v", "", 6);
  for (int n = 1; n <= 5; ++n) pipeline.labels.push_back(fmt::format("C{}", n));

  json::object parent{{"Comment", "crash test pipeline"}, {"StartAt", "T1"}, {"States", states}};
  pipeline.parent = dir.write("parent.json", data::serialize_json(parent)).string();
  dir.write("child.json", data::serialize_json(chain("C", 5, ledger, 50, false)));
  return pipeline;
}

const char* const kInput = R"({"v": 7, "items": [1, 2, 3, 4, 5, 6]})";

json::value parse(const std::string& text) {
  auto parsed = data::parse_json(text);
  INFO(text);
  REQUIRE(parsed.has_value());
  return std::move(*parsed);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The history of one execution (by id or name) in `store`.
json::array history_of(const std::string& store, const std::string& execution) {
  auto history = run_flowstate({"history", execution, "--store", store, "--format", "json"});
  INFO(history.err);
  REQUIRE(history.exit_code == 0);
  return parse(history.out).as_object().at("events").as_array();
}

// The parent's history and those of the executions it started (its Map Runs' children
// too), by id.
std::map<std::string, json::array> histories(const std::string& store, const std::string& name) {
  std::map<std::string, json::array> out;
  out[name] = history_of(store, name);
  std::vector<std::vector<std::string>> queries{{"list", "--store", store, "--format", "json"}};
  for (const json::value& event : out[name])
    if (event.as_object().at("type").as_string() == "MapRunStarted")
      queries.push_back({"list", "--store", store, "--format", "json", "--map-run",
                         std::string(event.at("mapRunStartedEventDetails").at("mapRunArn").as_string())});
  for (const auto& args : queries) {
    auto list = run_flowstate(args);
    INFO(list.err);
    REQUIRE(list.exit_code == 0);
    json::value executions = parse(list.out);
    for (const json::value& entry : executions.as_array())
      if (entry.as_object().contains("parent"))
        out[std::string(entry.as_object().at("id").as_string())] =
            history_of(store, std::string(entry.as_object().at("id").as_string()));
  }
  return out;
}

// The label of every task whose TaskSucceeded is in a history (the output names it).
std::multiset<std::string> succeeded_labels(const std::map<std::string, json::array>& all) {
  std::multiset<std::string> labels;
  for (const auto& [id, events] : all)
    for (const json::value& event : events) {
      const json::object& object = event.as_object();
      if (object.at("type").as_string() != "TaskSucceeded") continue;
      auto output = parse(std::string(
          object.at("taskSucceededEventDetails").as_object().at("output").as_string()));
      if (const json::value* label = output.as_object().if_contains("label"))
        if (!output.as_object().contains("ExecutionArn"))  // the nested execution's Task
          labels.insert(std::string(label->as_string()));
    }
  return labels;
}

std::string describe_shape(const test::HistoryShape& shape) {
  std::string text;
  for (const auto& problem : shape.problems) text += problem + "\n";
  for (const auto& [state, count] : shape.in_flight) text += fmt::format("in flight: {} ×{}\n", state, count);
  return text;
}

std::uint32_t crash_seed() {
  if (const char* text = std::getenv("FLOWSTATE_CRASH_SEED")) return static_cast<std::uint32_t>(std::stoul(text));
  return std::random_device{}();
}

TEST_CASE("crash: a pipeline killed with SIGKILL 20 times and resumed each time ends as an "
          "uninterrupted run, never running a completed task again",
          "[cli][crash]") {
  auto began = std::chrono::steady_clock::now();
  TempDir reference_dir;
  Pipeline reference = write_pipeline(reference_dir);
  std::string reference_store = (reference_dir / "store").string();
  auto uninterrupted = run_flowstate({"run", reference.parent, "--input", kInput, "--name", "crash",
                                      "--store", reference_store, "--format", "json", "-q"});
  INFO(uninterrupted.err);
  REQUIRE(uninterrupted.exit_code == 0);
  json::value expected = parse(uninterrupted.out).as_object().at("output");
  {
    auto ledger = lines_of(reference_dir.read("ledger.txt"));
    std::multiset<std::string> ran(ledger.begin(), ledger.end());
    std::multiset<std::string> all(reference.labels.begin(), reference.labels.end());
    REQUIRE(reference.labels.size() == 38);
    CHECK(ran == all);
  }
  auto run_time = std::chrono::steady_clock::now() - began;

  std::uint32_t seed = crash_seed();
  WARN(fmt::format("crash seed {} (replay with FLOWSTATE_CRASH_SEED={}); an uninterrupted run "
                   "takes {} ms",
                   seed, seed,
                   std::chrono::duration_cast<std::chrono::milliseconds>(run_time).count()));
  std::mt19937 random(seed);
  // A kill point: after the ledger has `lines` more lines (tasks started by this process, 0
  // for a kill during start-up), plus `ms` more milliseconds (inside a task, or between
  // two). Counting tasks rather than time keeps the points spread over the whole pipeline
  // however loaded the machine is.
  std::uniform_int_distribution<int> lines_after(0, 6);
  std::uniform_int_distribution<int> delay_ms(0, 60);

  TempDir dir;
  Pipeline pipeline = write_pipeline(dir);
  std::string store = (dir / "store").string();
  int landed = 0;
  std::optional<std::string> final_out;
  // The tasks the store had seen succeed at the last kill, and the ledger's length then.
  std::multiset<std::string> completed;
  std::size_t mark = 0;
  auto check_not_rerun = [&](int after_kill) {
    auto ledger = lines_of(dir.read("ledger.txt"));
    for (std::size_t n = mark; n < ledger.size(); ++n) {
      INFO("ledger line " << n + 1 << ": " << ledger[n] << " ran again after kill " << after_kill);
      CHECK(completed.count(ledger[n]) == 0);
    }
  };
  std::string delays;
  bool recorded = false;  // a kill may land before `run` has recorded the execution
  bool ended = false;  // SUCCEEDED, printed by the process or recorded before a kill
  for (int kill = 1; kill <= kKills && !ended; ++kill) {
    int lines = lines_after(random);
    int delay = delay_ms(random);
    delays += fmt::format("{}+{}/{}ms", kill == 1 ? "" : " ", lines, delay);
    INFO(fmt::format("kill {} after {} new ledger lines and {} ms (seed {}; points so far: {})", kill,
                     lines, delay, seed, delays));
    std::size_t target = lines_of(dir.read("ledger.txt")).size() + static_cast<std::size_t>(lines);
    std::vector<std::string> args =
        !recorded ? std::vector<std::string>{"run", pipeline.parent, "--input", kInput, "--name",
                                             "crash", "--store", store, "--format", "json", "-q"}
                  : std::vector<std::string>{"resume", "crash", "--store", store, "--format",
                                             "json", "-q"};
    FlowstateProcess process(args);
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (process.output_open() && lines_of(dir.read("ledger.txt")).size() < target &&
           std::chrono::steady_clock::now() < give_up)
      process.wait_for_stderr("\x01never printed", std::chrono::milliseconds(2));
    process.wait_for_stderr("\x01never printed", std::chrono::milliseconds(delay));
    process.signal(SIGKILL);
    test::CliResult result = process.finish();
    INFO(result.err);
    // Tasks the killed process had started may still be appending (their process groups
    // outlive flowstate), but none of those had completed.
    if (kill > 1) check_not_rerun(kill - 1);
    if (result.exit_code != 128 + SIGKILL) {
      REQUIRE(result.exit_code == 0);  // it ended before the kill
      final_out = result.out;
      ended = true;
      break;
    }
    ++landed;
    auto describe = run_flowstate({"describe", "crash", "--store", store});
    if (describe.exit_code != 0) {
      INFO(describe.err);
      REQUIRE(!recorded);
      // Killed before the store existed (RocksDB had not written CURRENT yet) or before the
      // execution was recorded.
      REQUIRE((describe.err.find("no execution 'crash'") != std::string::npos ||
               describe.err.find("no flowstate store at") != std::string::npos));
      continue;  // `run` again
    }
    recorded = true;
    // Killed after it had recorded its end: nothing is left to resume.
    ended = parse(describe.out).as_object().at("status").as_string() == "SUCCEEDED";
    // What the store says had completed; the process is dead, so this is final.
    auto before = histories(store, "crash");
    for (const auto& [id, events] : before) {
      auto shape = test::check_history(events);
      INFO("after kill " << kill << ", history of " << id << ":\n" << describe_shape(shape));
      CHECK(shape.problems.empty());
    }
    completed = succeeded_labels(before);
    mark = lines_of(dir.read("ledger.txt")).size();
  }
  if (!ended) {
    auto last = recorded ? run_flowstate({"resume", "crash", "--store", store, "--format", "json", "-q"})
                         : run_flowstate({"run", pipeline.parent, "--input", kInput, "--name", "crash",
                                          "--store", store, "--format", "json", "-q"});
    INFO(last.err);
    REQUIRE(last.exit_code == 0);
    final_out = last.out;
    check_not_rerun(kKills);
  }
  WARN(fmt::format("{} of {} kills landed (points, new ledger lines + ms: {}); {} tasks had "
                   "completed before the last kill; took {} ms in all",
                   landed, kKills, delays, completed.size(),
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - began)
                       .count()));
  INFO("seed " << seed << ", kill points " << delays);

  // The same output as the uninterrupted run, printed by the process that finished it
  // (unless a kill landed after it had recorded its end) and as the store describes it.
  if (final_out) {
    json::value printed = parse(*final_out);
    CHECK(printed.as_object().at("status").as_string() == "SUCCEEDED");
    CHECK(printed.as_object().at("output") == expected);
  }
  auto describe = run_flowstate({"describe", "crash", "--store", store});
  REQUIRE(describe.exit_code == 0);
  json::object described = parse(describe.out).as_object();
  CHECK(described.at("status").as_string() == "SUCCEEDED");
  CHECK(parse(std::string(described.at("output").as_string())) == expected);

  // Every task ran (at least once), and the store holds one success of each.
  auto ledger = lines_of(dir.read("ledger.txt"));
  std::set<std::string> ran(ledger.begin(), ledger.end());
  std::set<std::string> all(pipeline.labels.begin(), pipeline.labels.end());
  CHECK(ran == all);
  auto after = histories(store, "crash");
  CHECK(after.size() == 2 + 6);  // the parent, its nested child and its Map Run's 6 children
  std::multiset<std::string> succeeded = succeeded_labels(after);
  CHECK(succeeded == std::multiset<std::string>(all.begin(), all.end()));
  for (const auto& [id, events] : after) {
    auto shape = test::check_history(events);
    INFO("history of " << id << ":\n" << describe_shape(shape));
    CHECK(shape.problems.empty());
    CHECK(shape.in_flight.empty());
    CHECK(events.back().as_object().at("type").as_string() == "ExecutionSucceeded");
  }
}

}  // namespace
}  // namespace flowstate::cli
