#include "tools/flowstate/test_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/data/json_codec.hpp"
#include "engine/durable/execution_host.hpp"
#include "engine/durable/nested_execution.hpp"
#include "engine/store/store.hpp"
#include "engine/tasks/command_task.hpp"
#include "tools/flowstate/definition_loading.hpp"
#include "tools/flowstate/execution_driver.hpp"
#include "tools/flowstate/test_coverage.hpp"
#include "tools/flowstate/test_expectations.hpp"
#include "tools/flowstate/test_file.hpp"
#include "tools/flowstate/test_report.hpp"

namespace flowstate::cli {

namespace asio = boost::asio;
namespace fs = std::filesystem;
namespace json = boost::json;

void add_test_command(CLI::App& app, TestOptions& options) {
  CLI::App* command = app.add_subcommand(
      "test", "Run the test cases of test files (*.test.yaml: a definition, inputs, mocks and expectations)");
  command->add_option("PATH", options.paths, "test files, or folders searched for *.test.yaml, *.test.yml and "
                                             "*.test.json (default: the current folder)");
  command->add_option("-j,--jobs", options.jobs, "test cases running at once (default 4)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
  command->add_option("--junit", options.junit, "also write a JUnit XML report to FILE");
  command->add_flag("--real-waits", options.real_waits,
                    "Wait states and retry back-off sleep (default: they complete at once)");
  command->add_flag("--verbose,-v", options.verbose, "print task log lines, and each failed case's history");
  command->add_flag("--coverage", options.coverage,
                    "print, per definition, the states, Choice rules and Defaults, Catchers and Retriers the "
                    "cases reached and those they never did, with their lines");
  command->add_option("--min-coverage", options.min_coverage,
                      "exit 1 when less than this percentage of them was reached (implies --coverage)")
      ->check(CLI::Range(0.0, 100.0));
  add_lambda_options(*command, options.lambda, LambdaOptionFor::run);
}

namespace {

// A response of a case's inline `mocks`: the MockConfigFile form as it is, or {"Return": …} /
// {"Throw": …} alone meaning every invocation.
json::value mocked_response(const json::value& given) {
  const json::object* object = given.if_object();
  if (object && object->size() == 1 && (object->contains("Return") || object->contains("Throw")))
    return json::object{{"0-999999999", given}};  // the largest range a MockConfigFile holds
  return given;
}

// One case ready to run: what it runs with, and where its report goes.
struct Job {
  const TestCase* test = nullptr;
  const RunnableDefinition* definition = nullptr;
  durable::RunSettings settings;
  const SuiteReport* suite = nullptr;
  CaseReport* report = nullptr;
  bool done = false;
};

// A test file with its definition loaded and its mock configurations read.
struct PreparedFile {
  TestFile file;
  std::optional<RunnableDefinition> definition;
  std::optional<json::object> mock_config;  ///< the file's MockConfigFile as JSON
};

std::optional<json::object> read_mock_config_json(const fs::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("{}: cannot read the mock configuration: {}", path.string(), std::strerror(errno));
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = data::parse_json(text);
  if (!parsed || !parsed->is_object()) {
    error = fmt::format("{}: the mock configuration is not a JSON object", path.string());
    return std::nullopt;
  }
  return std::move(parsed->get_object());
}

// The mock configuration a case runs with: its `testCase` of the file's configuration, and
// its inline mocks on top in a test case of their own, lent to the driver under a name of
// its own (nested machines keep the file's test case of that name). `mocked`: the tested
// machine's mocked states, or null when nothing is mocked. Returns the error, or "".
std::string prepare_mocks(const PreparedFile& prepared, const TestCase& test, ExecutionDriver& driver,
                          std::deque<tasks::MockConfig>& configs, durable::RunSettings& settings,
                          const tasks::MockedStates*& mocked) {
  const std::string& machine = prepared.definition->plan.name;
  mocked = nullptr;
  if (!test.test_case.empty()) {
    std::string path = fs::absolute(prepared.file.mock_config).lexically_normal().string();
    auto loaded = driver.mock_configs().load(path);
    if (!loaded) return loaded.error();
    mocked = (*loaded)->test_case(machine, test.test_case);
    if (!mocked) {
      std::string names = (*loaded)->test_case_names(machine);
      return fmt::format("{}: no test case '{}' for state machine '{}'{}", prepared.file.mock_config.string(),
                         test.test_case, machine, names.empty() ? "" : fmt::format(" (its test cases are {})", names));
    }
    settings.mock_config = std::move(path);
    settings.test_case = test.test_case;
  }
  if (test.mocks.empty()) return "";

  json::object config = prepared.mock_config.value_or(json::object());
  if (!config["StateMachines"].is_object()) config["StateMachines"] = json::object();
  if (!config["MockedResponses"].is_object()) config["MockedResponses"] = json::object();
  json::object& machines = config["StateMachines"].get_object();
  json::object& responses = config["MockedResponses"].get_object();
  const std::string name = fmt::format("flowstate test: {}", test.name);
  for (auto& [machine_name, entry] : machines) {
    json::object* cases = entry.is_object() ? entry.get_object()["TestCases"].if_object() : nullptr;
    if (!cases || test.test_case.empty()) continue;
    if (const json::value* chosen = cases->if_contains(test.test_case)) {
      json::value copy = *chosen;
      (*cases)[name] = std::move(copy);
    }
  }
  if (!machines[machine].is_object()) machines[machine] = json::object();
  json::value& cases = machines[machine].get_object()["TestCases"];
  if (!cases.is_object()) cases = json::object();
  json::value& states = cases.get_object()[name];
  if (!states.is_object()) states = json::object();
  for (const auto& [state, response] : test.mocks) {
    std::string response_name = fmt::format("{}: {}", name, std::string_view(state));
    responses[response_name] = mocked_response(response);
    states.get_object()[state] = response_name;
  }
  auto parsed = tasks::MockConfig::parse(data::serialize_json(config));
  if (!parsed) return fmt::format("the mocks of test case '{}': {}", test.name, parsed.error());
  configs.push_back(std::move(*parsed));
  settings.mock_config = fmt::format("{}#{}", fs::absolute(prepared.file.path).lexically_normal().string(), test.name);
  settings.test_case = name;
  driver.mock_configs().borrow(settings.mock_config, configs.back());
  mocked = configs.back().test_case(machine, name);
  return "";
}

std::string history_text(const std::vector<json::value>& history) {
  std::string text;
  for (const json::value& event : history) text += data::serialize_json(event) + '\n';
  return text;
}

std::string milliseconds(std::chrono::duration<double> time) { return fmt::format("{:.0f} ms", time.count() * 1000); }

void print_case(const SuiteReport& suite, const CaseReport& test, bool verbose) {
  if (test.passed()) {
    std::cout << fmt::format("PASS  {}: {} ({})\n", suite.file, test.name, milliseconds(test.time));
    return;
  }
  std::cout << fmt::format("FAIL  {}:{}: {} ({})\n", suite.file, test.where.line, test.name, milliseconds(test.time));
  auto indented = [](std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = std::min(text.find('\n', start), text.size());
      out += fmt::format("      {}\n", text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  if (test.error) std::cout << indented(*test.error);
  for (const std::string& failure : test.failures) std::cout << indented(failure);
  if (verbose && !test.history.empty()) std::cerr << "history of '" << test.name << "':\n" << test.history;
}

asio::awaitable<void> run_case(ExecutionDriver& driver, Job& job) {
  auto started = std::chrono::steady_clock::now();
  durable::NewExecution request;
  request.definition = job.definition->source;
  request.input = job.test->input;
  request.settings = job.settings;
  std::optional<durable::ExecutionRecord> created;
  try {
    created = driver.host().create(std::move(request));
  } catch (const durable::ExecutionRefused& refused) {
    job.report->error = refused.what();
  }
  if (created) {
    durable::ExecutionRecord record = co_await driver.host().run(std::move(*created));
    std::vector<json::value> history;
    driver.host().catalog().events(record.id, [&](const json::value& event) {
      history.push_back(event);
      return true;
    });
    job.report->failures = check_expectations(*job.test, record, history);
    job.report->history = history_text(history);
  }
  job.report->time = std::chrono::steady_clock::now() - started;
  job.done = true;
}

}  // namespace

ExitCode test_command(const TestOptions& options) {
  auto lambda = choose_lambda_endpoint(options.lambda, {});
  if (!lambda) return ExitCode::invalid_input;

  definition::Diagnostics diagnostics;
  std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  auto files = find_test_files(paths, diagnostics);
  for (const auto& diagnostic : diagnostics.items())
    std::cerr << "flowstate: " << definition::to_string(diagnostic) << '\n';
  bool invalid = !diagnostics.empty();
  if (files.empty() && !invalid) {
    std::cerr << fmt::format("flowstate: no test files (*.test.yaml, *.test.yml, *.test.json) under {}\n",
                             fmt::join(paths, ", "));
    return ExitCode::invalid_input;
  }

  auto store = store::Store::open_in_memory();
  TestCoverage coverage;
  const bool with_coverage = options.coverage || options.min_coverage > 0;
  DriveSettings settings;
  settings.quiet = !options.verbose;
  settings.lambda = lambda->endpoint ? &*lambda->endpoint : nullptr;
  settings.history_in_memory = true;
  if (with_coverage) settings.coverage = &coverage;
  ExecutionDriver driver(*store, settings);
  std::deque<PreparedFile> prepared;
  std::deque<tasks::MockConfig> configs;
  std::vector<SuiteReport> suites(files.size());
  std::vector<Job> jobs;
  for (std::size_t index = 0; index < files.size(); ++index) {
    SuiteReport& suite = suites[index];
    suite.file = files[index].string();
    suite.started = std::chrono::system_clock::now();
    definition::Diagnostics problems;
    auto file = load_test_file(files[index], problems);
    std::string error;
    for (const auto& diagnostic : problems.sorted()) error += definition::to_string(diagnostic) + '\n';
    if (!file) {
      suite.error = error.empty() ? "the test file cannot be read" : error.substr(0, error.size() - 1);
      std::cerr << error;
      invalid = true;
      continue;
    }
    PreparedFile& entry = prepared.emplace_back(PreparedFile{std::move(*file), std::nullopt, std::nullopt});
    entry.definition = load_definition(
        entry.file.definition.string(),
        DefinitionLoading{entry.file.substitutions ? &*entry.file.substitutions : nullptr, ""});
    if (!entry.definition) {
      suite.error = fmt::format("{}: the definition {} does not load (see the messages above)", suite.file,
                                entry.file.definition.string());
      invalid = true;
      continue;
    }
    if (!entry.file.mock_config.empty()) {
      entry.mock_config = read_mock_config_json(entry.file.mock_config, error);
      if (!entry.mock_config) {
        suite.error = error;
        std::cerr << "flowstate: " << error << '\n';
        invalid = true;
        continue;
      }
    }
    suite.cases.resize(entry.file.cases.size());
    // Command tasks run in the test file's folder.
    const std::string folder = fs::absolute(entry.file.path).parent_path().lexically_normal().string();
    for (std::size_t i = 0; i < entry.file.cases.size(); ++i) {
      const TestCase& test = entry.file.cases[i];
      CaseReport& report = suite.cases[i];
      report.name = test.name;
      report.where = test.where;
      Job job{&test, &*entry.definition, {}, &suite, &report, false};
      job.settings.skip_waits = !options.real_waits;
      if (entry.file.substitutions) job.settings.substitutions = *entry.file.substitutions;
      job.settings.working_directory = folder;
      if (lambda->endpoint) job.settings.lambda_endpoint = lambda->endpoint->url;
      const tasks::MockedStates* mocked = nullptr;
      std::string problem = prepare_mocks(entry, test, driver, configs, job.settings, mocked);
      if (problem.empty() && !check_startable(*entry.definition, lambda->endpoint.has_value(), mocked))
        problem = fmt::format("{} cannot run (see the messages above)", entry.file.definition.string());
      if (!problem.empty()) {
        report.error = problem;
        job.done = true;
      }
      jobs.push_back(job);
    }
  }

  // The cases run on the driver's host, at most options.jobs at once; each is printed as soon
  // as every case before it has been.
  std::size_t printed = 0;
  auto print_ready = [&] {
    for (; printed < jobs.size() && jobs[printed].done; ++printed) {
      print_case(*jobs[printed].suite, *jobs[printed].report, options.verbose);
    }
  };
  driver.serve(
      [&]() -> asio::awaitable<void> {
        auto executor = co_await asio::this_coro::executor;
        asio::steady_timer wake(executor, asio::steady_timer::time_point::max());
        std::size_t running = 0;
        auto wait = [&]() -> asio::awaitable<void> {
          wake.expires_at(asio::steady_timer::time_point::max());
          co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
        };
        for (Job& job : jobs) {
          if (job.done) continue;
          while (running >= options.jobs) co_await wait();
          ++running;
          asio::co_spawn(executor, run_case(driver, job), [&](std::exception_ptr error) {
            if (error) {
              try {
                std::rethrow_exception(error);
              } catch (const std::exception& escaped) {
                job.report->error = fmt::format("internal error: {}", escaped.what());
              }
              job.done = true;
            }
            --running;
            print_ready();
            wake.cancel();
          });
        }
        while (running > 0) co_await wait();
      },
      [] {});
  print_ready();

  std::size_t passed = 0, failed = 0, errors = 0;
  for (SuiteReport& suite : suites) {
    for (const CaseReport& test : suite.cases) {
      suite.time += test.time;
      if (test.error) ++errors;
      else if (test.failures.empty()) ++passed;
      else ++failed;
    }
  }
  std::cout << fmt::format("{} test cases: {} passed, {} failed{}{}\n", passed + failed + errors, passed, failed,
                           errors ? fmt::format(", {} could not run", errors) : "",
                           invalid ? fmt::format(" ({} test files are wrong)", std::count_if(suites.begin(), suites.end(),
                                                                                             [](const SuiteReport& s) { return s.error.has_value(); }))
                                   : "");
  bool below = false;
  if (with_coverage) {
    std::vector<DefinitionCoverage> reports;
    for (const auto& [hash, plan] : driver.host().plans())
      if (auto source = driver.host().catalog().definition(hash)) reports.push_back(coverage.report(*plan, *source));
    std::sort(reports.begin(), reports.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
    double reached = print_coverage(std::cout, reports);
    if (reached < options.min_coverage) {
      std::cout << fmt::format("flowstate: coverage {:.1f}% is below --min-coverage {}\n", reached, options.min_coverage);
      below = true;
    }
  }
  if (!options.junit.empty()) {
    std::ofstream out(options.junit, std::ios::trunc);
    write_junit(out, suites);
    if (!out.flush()) {
      std::cerr << fmt::format("flowstate: cannot write the JUnit report {}: {}\n", options.junit, std::strerror(errno));
      return ExitCode::internal_error;
    }
  }
  if (const char* actions = std::getenv("GITHUB_ACTIONS"); actions && std::string_view(actions) == "true")
    write_github_annotations(std::cout, suites);
  if (invalid || errors) return ExitCode::invalid_input;
  return failed || below ? ExitCode::execution_failed : ExitCode::succeeded;
}

}  // namespace flowstate::cli
