#include "engine/tasks/mock_config.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::tasks {

namespace json = boost::json;

namespace {

using Parsed = boost::system::result<MockConfig, std::string>;

std::string kind_of(const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: return "an object";
    case json::kind::array: return "an array";
    case json::kind::string: return "a string";
    case json::kind::bool_: return "a boolean";
    case json::kind::null: return "null";
    default: return "a number";
  }
}

std::optional<std::size_t> invocation_number(std::string_view text) {
  std::size_t value = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "Return" or "Throw" of one invocation range.
std::optional<MockedOutcome> read_outcome(const json::value& value, const std::string& where,
                                          std::string& error) {
  const json::object* object = value.if_object();
  if (!object) {
    error = fmt::format("{}: must be an object with \"Return\" or \"Throw\", not {}", where, kind_of(value));
    return std::nullopt;
  }
  const json::value* result = object->if_contains("Return");
  const json::value* thrown = object->if_contains("Throw");
  for (const auto& member : *object) {
    if (member.key() != "Return" && member.key() != "Throw") {
      error = fmt::format("{}: unknown field '{}' (a mocked invocation has \"Return\" or \"Throw\")",
                          where, std::string_view(member.key()));
      return std::nullopt;
    }
  }
  if ((result != nullptr) == (thrown != nullptr)) {
    error = fmt::format("{}: needs exactly one of \"Return\" (the task's result) or \"Throw\" "
                        "({{\"Error\": ..., \"Cause\": ...}})",
                        where);
    return std::nullopt;
  }
  MockedOutcome outcome;
  if (result) {
    outcome.result = *result;
    return outcome;
  }
  const json::object* fields = thrown->if_object();
  const json::value* name = fields ? fields->if_contains("Error") : nullptr;
  const json::value* cause = fields ? fields->if_contains("Cause") : nullptr;
  if (!name || !name->is_string() || name->get_string().empty() || (cause && !cause->is_string())) {
    error = fmt::format("{}.Throw: must be {{\"Error\": \"a non-empty string\", \"Cause\": \"a string\"}}",
                        where);
    return std::nullopt;
  }
  outcome.failure.error = std::string(name->get_string());
  if (cause) outcome.failure.cause = std::string(cause->get_string());
  return outcome;
}

std::optional<MockedResponse> read_response(std::string_view name, const json::value& value,
                                            std::string& error) {
  std::string where = fmt::format("MockedResponses.{}", name);
  const json::object* object = value.if_object();
  if (!object || object->empty()) {
    error = fmt::format("{}: must be a non-empty object of invocation numbers such as \"0\" or "
                        "\"1-3\", not {}",
                        where, object ? "an empty object" : kind_of(value));
    return std::nullopt;
  }
  MockedResponse response;
  response.name = std::string(name);
  for (const auto& member : *object) {
    std::string_view key = member.key();
    std::string at = fmt::format("{}.\"{}\"", where, key);
    auto dash = key.find('-');
    auto first = invocation_number(key.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : invocation_number(key.substr(dash + 1));
    if (!first || !last || *last < *first) {
      error = fmt::format("{}: an invocation number must be \"N\" or a range \"N-M\" with N <= M "
                          "(counted from 0)",
                          at);
      return std::nullopt;
    }
    auto outcome = read_outcome(member.value(), at, error);
    if (!outcome) return std::nullopt;
    response.ranges.push_back(MockedResponse::Range{*first, *last, std::move(*outcome)});
  }
  std::sort(response.ranges.begin(), response.ranges.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < response.ranges.size(); ++i) {
    if (response.ranges[i].first <= response.ranges[i - 1].last) {
      error = fmt::format("{}: invocation {} is given twice", where, response.ranges[i].first);
      return std::nullopt;
    }
  }
  return response;
}

std::string joined_keys(const auto& map) {
  std::string out;
  for (const auto& [key, value] : map) out += fmt::format("{}{}", out.empty() ? "" : ", ", key);
  return out;
}

}  // namespace

const MockedOutcome* MockedResponse::at(std::size_t invocation) const {
  for (const auto& range : ranges)
    if (invocation >= range.first && invocation <= range.last) return &range.outcome;
  return nullptr;
}

std::string MockedResponse::covered() const {
  std::string out;
  for (const auto& range : ranges) {
    if (!out.empty()) out += ", ";
    out += range.first == range.last ? fmt::format("{}", range.first)
                                     : fmt::format("{}-{}", range.first, range.last);
  }
  return out;
}

Parsed MockConfig::parse(std::string_view text) {
  auto document = data::parse_json(text);
  if (!document)
    return fmt::format("{}:{}: not valid JSON: {}", document.error().line, document.error().column,
                       document.error().message);
  const json::object* root = document->if_object();
  if (!root) return fmt::format("must be a JSON object with \"StateMachines\" and \"MockedResponses\"");
  for (const auto& member : *root)
    if (member.key() != "StateMachines" && member.key() != "MockedResponses")
      return fmt::format("unknown top-level field '{}' (expected \"StateMachines\" and "
                         "\"MockedResponses\")",
                         std::string_view(member.key()));

  std::string error;
  std::map<std::string, std::shared_ptr<const MockedResponse>, std::less<>> responses;
  if (const json::value* value = root->if_contains("MockedResponses")) {
    if (!value->is_object())
      return fmt::format("MockedResponses: must be an object, not {}", kind_of(*value));
    for (const auto& member : value->get_object()) {
      auto response = read_response(member.key(), member.value(), error);
      if (!response) return error;
      responses.emplace(std::string(member.key()), std::make_shared<const MockedResponse>(std::move(*response)));
    }
  }

  MockConfig config;
  const json::value* machines = root->if_contains("StateMachines");
  if (!machines || !machines->is_object())
    return fmt::format("StateMachines: must be an object of state machine names, not {}",
                       machines ? kind_of(*machines) : std::string("missing"));
  for (const auto& machine : machines->get_object()) {
    std::string where = fmt::format("StateMachines.{}", std::string_view(machine.key()));
    const json::object* fields = machine.value().if_object();
    const json::value* cases = fields ? fields->if_contains("TestCases") : nullptr;
    if (!cases || !cases->is_object())
      return fmt::format("{}: must be {{\"TestCases\": {{...}}}}", where);
    auto& by_name = config.machines_[std::string(machine.key())];
    for (const auto& test_case : cases->get_object()) {
      std::string at = fmt::format("{}.TestCases.{}", where, std::string_view(test_case.key()));
      const json::object* states = test_case.value().if_object();
      if (!states)
        return fmt::format("{}: must be an object of state name → mocked response name, not {}", at,
                           kind_of(test_case.value()));
      MockedStates mocked;
      for (const auto& state : *states) {
        if (!state.value().is_string())
          return fmt::format("{}.{}: must name a mocked response (a string), not {}", at,
                             std::string_view(state.key()), kind_of(state.value()));
        std::string_view response = state.value().get_string();
        auto found = responses.find(response);
        if (found == responses.end())
          return fmt::format("{}.{}: no mocked response named '{}' in MockedResponses{}", at,
                             std::string_view(state.key()), response,
                             responses.empty() ? std::string()
                                               : fmt::format(" (it has {})", joined_keys(responses)));
        mocked.emplace(std::string(state.key()), found->second);
      }
      by_name.emplace(std::string(test_case.key()), std::move(mocked));
    }
  }
  return config;
}

Parsed MockConfig::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("{}: cannot read the mock configuration: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto config = parse(text.str());
  if (!config) return fmt::format("{}: {}", path, config.error());
  return config;
}

const MockedStates* MockConfig::test_case(std::string_view machine, std::string_view name) const {
  auto found = machines_.find(machine);
  if (found == machines_.end()) return nullptr;
  auto test_case = found->second.find(name);
  return test_case == found->second.end() ? nullptr : &test_case->second;
}

std::string MockConfig::test_case_names(std::string_view machine) const {
  auto found = machines_.find(machine);
  return found == machines_.end() ? std::string() : joined_keys(found->second);
}

std::string MockConfig::machine_names() const { return joined_keys(machines_); }

std::optional<MockedOutcome> TaskMocks::next(std::string_view state) {
  auto found = states_.find(state);
  if (found == states_.end()) return std::nullopt;
  auto counter = invocations_.find(state);
  if (counter == invocations_.end()) counter = invocations_.emplace(std::string(state), 0).first;
  std::size_t invocation = counter->second++;
  const MockedResponse& response = *found->second;
  if (const MockedOutcome* outcome = response.at(invocation)) return *outcome;
  MockedOutcome exhausted;
  exhausted.failure = asl::Failure(
      std::string(asl::error_name::kTaskFailed),
      fmt::format("mocked response '{}' has no outcome for invocation {} of state '{}' (it covers "
                  "invocations {})",
                  response.name, invocation, state, response.covered()));
  return exhausted;
}

}  // namespace flowstate::tasks
