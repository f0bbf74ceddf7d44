// Redrive of Parallel and inline Map states (resume_point.cpp's prepare_redrive): "only the
// unsuccessful branches / iterations are redriven" (AWS, redrive-executions.html).
#include "engine/durable/resume_point.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test/harness/durable_run.hpp"
#include "test/harness/json_text.hpp"
#include "test/harness/step_script.hpp"

namespace flowstate::durable {
namespace {

using test::DurableRun;
using test::ledger_of;
using test::parse_json_text;

std::string task(const DurableRun& run, std::string_view name, std::string_view env = {}) {
  return fmt::format(R"({{Type: Task, Resource: "arn:flowstate:::command", Parameters: {}, End: true}})",
                     test::step_parameters(run.dir().path(), name, env));
}

TEST_CASE("Redrive: a Parallel state reruns only its failed and aborted branches and reuses the "
          "output of the one that succeeded",
          "[durable][redrive][parallel]") {
  DurableRun run;
  const auto& dir = run.dir().path();
  std::string definition = fmt::format(R"(StartAt: Fan
States:
  Fan:
    Type: Parallel
    Branches:
      - StartAt: Ok
        States:
          Ok: {}
      - StartAt: Bad
        States:
          Bad: {}
      - StartAt: Slow
        States:
          Slow: {}
    End: true
)",
                                       task(run, "Ok"), task(run, "Bad"), task(run, "Slow"));
  test::put_file(dir, "fail-Bad", "done-Ok started-Slow");  // fails once Ok has succeeded
  test::put_file(dir, "block-Slow");  // still running when Bad fails: aborted
  auto first = run.run("fan.yaml", definition, "{}", "parallel");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  CHECK(first.error == "States.TaskFailed");
  auto types = run.event_types("parallel");
  // Slow was aborted; Bad, whose failure ended its branch, is recorded as aborted after its
  // TaskFailed, as AWS records it.
  CHECK(std::count(types.begin(), types.end(), "TaskStateAborted") == 2);

  CHECK(run.redrive_plan("parallel") ==
        std::vector<std::string>{
            "continue: Fan (Parallel): 1 finished reused, 2 running again, the rest not started yet",
            "run again: Fan[1] > Bad (Task) with input {}",
            "run again: Fan[2] > Slow (Task) with input {}"});

  test::remove_file(dir, "fail-Bad");
  test::remove_file(dir, "block-Slow");
  auto second = run.redrive("parallel");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  CHECK(*second.output == parse_json_text(R"(["Ok done","Bad done","Slow done"])"));
  CHECK(ledger_of(dir, "Ok").size() == 1);
  CHECK(ledger_of(dir, "Bad") == std::vector<std::string>{"retry=0 redrive=0 input={}", "retry=0 redrive=1 input={}"});
  CHECK(ledger_of(dir, "Slow") == std::vector<std::string>{"retry=0 redrive=0 input={}", "retry=0 redrive=1 input={}"});
}

TEST_CASE("Redrive: an inline Map reruns only its failed and aborted iterations and reuses the "
          "outputs of the others",
          "[durable][redrive][map]") {
  DurableRun run;
  const auto& dir = run.dir().path();
  std::string definition = fmt::format(R"(StartAt: Fan
States:
  Fan:
    Type: Map
    ItemsPath: $.items
    ItemProcessor:
      ProcessorConfig: {{Mode: INLINE}}
      StartAt: Item
      States:
        Item: {}
    End: true
)",
                                       task(run, "item", R"x(NAME.$: "States.Format('item{}', $.n)")x"));
  // Items 3 and 6 fail once every other item has succeeded; whichever fails second may be
  // aborted instead.
  for (const char* broken : {"fail-item3", "fail-item6"})
    test::put_file(dir, broken, "done-item0 done-item1 done-item2 done-item4 done-item5 done-item7");
  std::string input = R"({"items":[{"n":0},{"n":1},{"n":2},{"n":3},{"n":4},{"n":5},{"n":6},{"n":7}]})";
  auto first = run.run("fan.yaml", definition, input, "map");
  REQUIRE(first.status == runtime::ExecutionStatus::failed);
  for (int i = 0; i < 8; ++i) CHECK(ledger_of(dir, fmt::format("item{}", i)).size() == 1);

  CHECK(run.redrive_plan("map") ==
        std::vector<std::string>{
            "continue: Fan (Map): 6 finished reused, 2 running again, the rest not started yet",
            R"(run again: Fan[3] > Item (Task) with input {"n":3})",
            R"(run again: Fan[6] > Item (Task) with input {"n":6})"});

  test::remove_file(dir, "fail-item3");
  test::remove_file(dir, "fail-item6");
  auto second = run.redrive("map");
  REQUIRE(second.status == runtime::ExecutionStatus::succeeded);
  const char* const all_done = R"(["item0 done","item1 done","item2 done","item3 done","item4 done","item5 done","item6 done","item7 done"])";
  CHECK(*second.output == parse_json_text(all_done));
  for (int i = 0; i < 8; ++i) {
    INFO("item " << i);
    auto lines = ledger_of(dir, fmt::format("item{}", i));
    if (i == 3 || i == 6) {
      CHECK(lines == std::vector<std::string>{fmt::format(R"(retry=0 redrive=0 input={{"n":{}}})", i),
                                              fmt::format(R"(retry=0 redrive=1 input={{"n":{}}})", i)});
    } else {
      CHECK(lines.size() == 1);
    }
  }
  // Every iteration that ran again says so in the history; the reused ones do not start again.
  auto events = run.history("map");
  std::size_t redriven = 0;
  while (events[redriven].at("type").as_string() != "ExecutionRedriven") ++redriven;
  std::size_t iterations_started = 0;
  for (std::size_t i = redriven; i < events.size(); ++i)
    if (events[i].at("type").as_string() == "TaskStateEntered") ++iterations_started;
  CHECK(iterations_started == 2);
}

}  // namespace
}  // namespace flowstate::durable
