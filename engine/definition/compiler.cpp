#include "engine/definition/compiler.hpp"

#include <algorithm>
#include <deque>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/asl/limits.hpp"
#include "engine/definition/field_reader.hpp"

namespace flowstate::definition {

namespace json = boost::json;
using asl::StateType;

namespace {

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

class Compiler {
 public:
  Compiler(const Document& document, Diagnostics& diagnostics)
      : document_(document), diagnostics_(diagnostics) {}

  std::optional<Plan> compile() {
    Plan plan;
    FieldReader top(document_.root(), "the state machine", document_, diagnostics_,
                    &unsupported_);
    if (!top.is_object()) return std::nullopt;
    top.allow({"Comment", "Version"});
    plan.timeout_seconds = top.integer("TimeoutSeconds", 1, 99999999);
    if (auto language = top.string("QueryLanguage")) {
      if (*language == "JSONata") {
        machine_language_ = states::QueryLanguage::jsonata;
      } else if (*language != "JSONPath") {
        top.error_at(*top.field("QueryLanguage"),
                     fmt::format("'QueryLanguage' must be \"JSONPath\" or \"JSONata\", not "
                                 "\"{}\"",
                                 *language));
      }
    }
    if (auto version = top.string("Version"); version && *version != "1.0")
      top.error_at(*top.field("Version"),
                   fmt::format("'Version' must be \"1.0\", not \"{}\"", *version));
    auto machine = compile_block(top);
    top.report_unknown_fields();
    if (!machine || !diagnostics_.empty()) return std::nullopt;
    plan.machine = std::move(*machine);
    plan.unsupported = unsupported_.sorted();
    plan.source = document_.file();
    plan.name = machine_name_of(document_.file());
    return plan;
  }

 private:
  std::optional<StateMachine> compile_block(FieldReader& block) {
    auto start_at = block.string("StartAt", Presence::required);
    const json::value* states = block.field("States", Presence::required);
    if (!states) return std::nullopt;
    if (!states->is_object() || states->get_object().empty()) {
      block.error_at(*states, fmt::format("'States' must be a non-empty object mapping state "
                                          "names to states, not {}",
                                          states->is_object() ? "an empty object"
                                                              : describe_kind(*states)));
      return std::nullopt;
    }
    StateMachine machine;
    for (const auto& member : states->get_object()) {
      std::string name(member.key());
      SourceLocation name_location = document_.key_location_of(member.value());
      std::size_t length = utf8_length(name);
      if (length == 0 || length > asl::kMaxStateNameLength)
        diagnostics_.add(name_location, fmt::format("state name '{}' is {} characters long; names "
                                                    "must be 1 to {} characters",
                                                    name, length, asl::kMaxStateNameLength));
      if (auto [it, inserted] = all_names_.emplace(name, name_location); !inserted)
        diagnostics_.add(name_location,
                         fmt::format("state name '{}' is already used at line {}; names must be "
                                     "unique in the whole state machine, nested branches "
                                     "included",
                                     name, it->second.line));
      if (auto state = compile_state(member.value(), name)) machine.states.push_back(std::move(*state));
    }
    // Transitions are checked against every name in the block, compiled or not, so that one
    // broken state does not hide the other problems of its block.
    bool complete = machine.states.size() == states->get_object().size();
    if (!start_at) return std::nullopt;
    if (!states->get_object().contains(*start_at)) {
      block.error_at(*block.field("StartAt"),
                     fmt::format("'StartAt' names the state '{}', which is not in {}; expected "
                                 "one of its 'States'",
                                 *start_at, block_description(block)));
      return std::nullopt;
    }
    bool resolved = resolve_transitions(machine, *states);
    if (!complete || !resolved) return std::nullopt;
    machine.start = *machine.find(*start_at);
    check_reachability(machine, *states);
    return machine;
  }

  static std::string block_description(const FieldReader& block) {
    if (block.owner() == "the state machine") return "the state machine";
    return block.owner();
  }

  std::optional<CompiledState> compile_state(const json::value& node, const std::string& name) {
    FieldReader reader(node, fmt::format("state '{}'", name), document_, diagnostics_,
                       &unsupported_);
    if (!reader.is_object()) return std::nullopt;
    auto type_name = reader.string("Type", Presence::required);
    if (!type_name) return std::nullopt;
    auto type = asl::parse_state_type(*type_name);
    if (!type) {
      static constexpr std::string_view kTypes[] = {"Pass", "Task",     "Choice", "Wait",
                                                    "Succeed", "Fail", "Parallel", "Map"};
      auto closest = closest_name(*type_name, kTypes);
      reader.error_at(*reader.field("Type"),
                      closest ? fmt::format("unknown state type \"{}\"; did you mean \"{}\"?",
                                            *type_name, *closest)
                              : fmt::format("unknown state type \"{}\"; expected one of Pass, "
                                            "Task, Choice, Wait, Succeed, Fail, Parallel, Map",
                                            *type_name));
      return std::nullopt;
    }
    FieldReader typed(node, fmt::format("{} state '{}'", *type_name, name), document_,
                      diagnostics_, &unsupported_);
    typed.allow({"Type"});
    std::size_t before = diagnostics_.size();
    states::StateFields fields =
        states::compile_state_fields(typed, name, *type, machine_language_);
    std::optional<StateBody> body = compile_body(typed, *type, fields.query_language);
    typed.report_unknown_fields();
    if (!body || diagnostics_.size() != before) return std::nullopt;
    return CompiledState{std::move(fields), std::move(*body)};
  }

  std::optional<StateBody> compile_body(FieldReader& reader, StateType type,
                                       states::QueryLanguage language) {
    auto nested = [this](const json::value& block, std::string owner,
                         states::NestedBlock kind) -> states::StateMachinePtr {
      FieldReader reader(block, std::move(owner), document_, diagnostics_, &unsupported_);
      if (!reader.is_object()) return nullptr;
      reader.allow({"Comment"});
      if (kind == states::NestedBlock::item_processor) reader.allow({"ProcessorConfig"});
      // "Branches and ItemProcessors may not carry QueryLanguage": their states take the
      // machine's language, or their own (asl-reference §1.0).
      if (reader.has("QueryLanguage")) {
        reader.error_at_field("QueryLanguage",
                              fmt::format("'QueryLanguage' is not allowed in {}; its states use "
                                          "the state machine's QueryLanguage, or set it on each "
                                          "state",
                                          reader.owner()));
        reader.allow({"QueryLanguage"});
      }
      auto machine = compile_block(reader);
      reader.report_unknown_fields();
      if (!machine) return nullptr;
      return states::StateMachinePtr(new StateMachine(std::move(*machine)));
    };
    auto wrap = [](auto&& compiled) -> std::optional<StateBody> {
      if (!compiled) return std::nullopt;
      return StateBody(std::move(*compiled));
    };
    switch (type) {
      case StateType::pass: return wrap(states::compile_pass_state(reader, language));
      case StateType::task: return wrap(states::compile_task_state(reader, language));
      case StateType::choice: return wrap(states::compile_choice_state(reader, language));
      case StateType::wait: return wrap(states::compile_wait_state(reader, language));
      case StateType::succeed: return wrap(states::compile_succeed_state(reader));
      case StateType::fail: return wrap(states::compile_fail_state(reader, language));
      case StateType::parallel: return wrap(states::compile_parallel_state(reader, nested));
      case StateType::map: return wrap(states::compile_map_state(reader, nested, language));
    }
    return std::nullopt;
  }

  // Resolves every target name to an index; targets must be in the same States block.
  bool resolve_transitions(StateMachine& machine, const json::value& states) {
    bool ok = true;
    const auto& objects = states.get_object();
    // `field` names the field in messages ("Catch[1].Next"); `key` is the key holding the name.
    auto resolve = [&](states::Transition& target, const CompiledState& from,
                       std::string_view field, std::string_view key) {
      if (auto index = machine.find(target.name)) {
        target.index = *index;
        return;
      }
      ok = false;
      if (objects.contains(target.name)) return;  // that state failed to compile
      const json::value& node = objects.at(from.fields.name);
      diagnostics_.add(locate_target(node, key, target.name),
                       fmt::format("'{}' of state '{}' names the state '{}', which is not in the "
                                   "same 'States' block",
                                   field, from.fields.name, target.name));
    };
    for (CompiledState& state : machine.states) {
      if (state.fields.next) resolve(*state.fields.next, state, "Next", "Next");
      auto& catchers = state.fields.catch_policy.catchers;
      for (std::size_t i = 0; i < catchers.size(); ++i) {
        states::Transition target{catchers[i].next_name, 0};
        resolve(target, state, fmt::format("Catch[{}].Next", i), "Next");
        catchers[i].next = target.index;
      }
      if (auto* choice = std::get_if<states::ChoiceState>(&state.body)) {
        for (std::size_t i = 0; i < choice->choices.size(); ++i)
          resolve(choice->choices[i].next, state, fmt::format("Choices[{}].Next", i), "Next");
        if (choice->default_next) resolve(*choice->default_next, state, "Default", "Default");
      }
    }
    return ok;
  }

  // The location of a string equal to `target` under `node` in field `field` (best effort).
  SourceLocation locate_target(const json::value& node, std::string_view field,
                               std::string_view target) const {
    const json::value* found = nullptr;
    auto walk = [&](auto&& self, const json::value& value) -> void {
      if (found) return;
      if (const auto* object = value.if_object()) {
        for (const auto& member : *object) {
          if (member.key() == field && member.value().is_string() &&
              member.value().get_string() == target) {
            found = &member.value();
            return;
          }
          self(self, member.value());
        }
      } else if (const auto* array = value.if_array()) {
        for (const auto& element : *array) self(self, element);
      }
    };
    walk(walk, node);
    return document_.location_of(found ? *found : node);
  }

  static std::vector<std::size_t> successors(const CompiledState& state) {
    std::vector<std::size_t> out;
    if (state.fields.next) out.push_back(state.fields.next->index);
    for (const auto& catcher : state.fields.catch_policy.catchers) out.push_back(catcher.next);
    if (const auto* choice = std::get_if<states::ChoiceState>(&state.body)) {
      for (const auto& rule : choice->choices) out.push_back(rule.next.index);
      if (choice->default_next) out.push_back(choice->default_next->index);
    }
    return out;
  }

  void check_reachability(const StateMachine& machine, const json::value& states) {
    std::vector<bool> reached(machine.states.size(), false);
    std::deque<std::size_t> queue{machine.start};
    reached[machine.start] = true;
    while (!queue.empty()) {
      std::size_t i = queue.front();
      queue.pop_front();
      for (std::size_t next : successors(machine.states[i]))
        if (!reached[next]) reached[next] = true, queue.push_back(next);
    }
    const auto& objects = states.get_object();
    for (std::size_t i = 0; i < machine.states.size(); ++i) {
      if (reached[i]) continue;
      const std::string& name = machine.states[i].fields.name;
      diagnostics_.add(document_.key_location_of(objects.at(name)),
                       fmt::format("state '{}' cannot be reached from 'StartAt' or any other state",
                                   name));
    }
    // Every reachable state must have a way to an end (End, Succeed, Fail, or a Choice Default
    // chain that gets there): a loop with no exit never finishes.
    std::vector<bool> can_end(machine.states.size(), false);
    bool changed = true;
    while (changed) {
      changed = false;
      for (std::size_t i = 0; i < machine.states.size(); ++i) {
        if (can_end[i]) continue;
        const CompiledState& state = machine.states[i];
        bool terminal = !state.fields.next && !std::holds_alternative<states::ChoiceState>(state.body);
        auto next = successors(state);
        if (terminal || std::any_of(next.begin(), next.end(), [&](std::size_t n) { return can_end[n]; }))
          can_end[i] = true, changed = true;
      }
    }
    for (std::size_t i = 0; i < machine.states.size(); ++i) {
      if (!reached[i] || can_end[i]) continue;
      const std::string& name = machine.states[i].fields.name;
      diagnostics_.add(document_.key_location_of(objects.at(name)),
                       fmt::format("state '{}' is in a loop that never reaches an end state; add "
                                   "a way out ('End', a Succeed or Fail state, or a Choice "
                                   "'Default')",
                                   name));
    }
  }

  const Document& document_;
  Diagnostics& diagnostics_;
  Diagnostics unsupported_;  ///< becomes Plan::unsupported
  states::QueryLanguage machine_language_ = states::QueryLanguage::jsonpath;
  std::unordered_map<std::string, SourceLocation> all_names_;
};

}  // namespace

std::optional<Plan> compile_plan(const Document& document, Diagnostics& diagnostics) {
  return Compiler(document, diagnostics).compile();
}

}  // namespace flowstate::definition
