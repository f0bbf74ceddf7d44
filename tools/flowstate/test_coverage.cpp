#include "tools/flowstate/test_coverage.hpp"

#include <filesystem>
#include <system_error>
#include <variant>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/definition/document.hpp"

namespace flowstate::cli {

namespace json = boost::json;
using runtime::CoveragePoint;

namespace {

using Hits = std::set<std::tuple<const definition::CompiledState*, CoveragePoint, std::size_t>>;

// Walks a definition's document beside its compiled plan, for the lines items are written on.
struct Walk {
  const definition::Document* document = nullptr;  ///< null: the text did not parse again
  const Hits& hits;
  DefinitionCoverage& out;

  definition::SourceLocation at(const json::value* node, bool key = false) const {
    if (!document || !node) return {out.file, 0, 0};
    return key ? document->key_location_of(*node) : document->location_of(*node);
  }

  static const json::value* member(const json::value* node, std::string_view key) {
    const json::object* object = node ? node->if_object() : nullptr;
    return object ? object->if_contains(key) : nullptr;
  }

  static const json::value* element(const json::value* node, std::size_t index) {
    const json::array* array = node ? node->if_array() : nullptr;
    return array && index < array->size() ? &(*array)[index] : nullptr;
  }

  void add(const json::value* node, bool key, std::string what, const definition::CompiledState& state,
           CoveragePoint point, std::size_t index) {
    out.items.push_back({at(node, key), std::move(what), hits.contains({&state, point, index})});
  }

  // `node`: the JSON object holding this machine's "States".
  void machine(const definition::StateMachine& compiled, const json::value* node) {
    const json::value* states = member(node, "States");
    for (const definition::CompiledState& state : compiled.states) {
      const std::string& name = state.fields.name;
      const json::value* written = member(states, name);
      add(written, true, fmt::format("state {}", name), state, CoveragePoint::entered, 0);
      if (const auto* choice = std::get_if<states::ChoiceState>(&state.body)) {
        for (std::size_t i = 0; i < choice->choices.size(); ++i)
          add(element(member(written, "Choices"), i), false, fmt::format("Choices[{}] of {}", i, name), state,
              CoveragePoint::choice_rule, i);
        if (choice->default_next)
          add(member(written, "Default"), true, fmt::format("Default of {}", name), state,
              CoveragePoint::choice_default, 0);
      }
      for (std::size_t i = 0; i < state.fields.retry.retriers.size(); ++i)
        add(element(member(written, "Retry"), i), false, fmt::format("Retry[{}] of {}", i, name), state,
            CoveragePoint::retrier, i);
      for (std::size_t i = 0; i < state.fields.catch_policy.catchers.size(); ++i)
        add(element(member(written, "Catch"), i), false, fmt::format("Catch[{}] of {}", i, name), state,
            CoveragePoint::catcher, i);
      if (const auto* parallel = std::get_if<states::ParallelState>(&state.body)) {
        for (std::size_t i = 0; i < parallel->branches.size(); ++i)
          machine(*parallel->branches[i], element(member(written, "Branches"), i));
      } else if (const auto* map = std::get_if<states::MapState>(&state.body)) {
        const json::value* processor = member(written, "ItemProcessor");
        machine(*map->processor, processor ? processor : member(written, "Iterator"));
      }
    }
  }
};

}  // namespace

std::size_t DefinitionCoverage::covered() const {
  std::size_t count = 0;
  for (const CoverageItem& item : items) count += item.covered ? 1 : 0;
  return count;
}

DefinitionCoverage TestCoverage::report(const definition::Plan& plan, const durable::DefinitionSource& source) const {
  DefinitionCoverage out;
  // Nested definitions are recorded by absolute path: shown from the working directory.
  std::error_code error;
  std::filesystem::path relative = std::filesystem::path(source.file).lexically_relative(std::filesystem::current_path(error));
  out.file = !relative.empty() && *relative.begin() != ".." ? relative.string() : source.file;
  definition::Diagnostics ignored;
  auto document = definition::Document::parse(source.text, source.file, ignored);
  Walk walk{document ? &*document : nullptr, hits_, out};
  walk.machine(plan.machine, document ? &document->root() : nullptr);
  return out;
}

double print_coverage(std::ostream& out, const std::vector<DefinitionCoverage>& definitions) {
  std::size_t all = 0, covered = 0;
  auto percent = [](std::size_t part, std::size_t whole) { return whole ? 100.0 * part / whole : 100.0; };
  for (const DefinitionCoverage& definition : definitions) {
    std::size_t reached = definition.covered();
    all += definition.items.size();
    covered += reached;
    out << fmt::format("coverage of {}: {} of {} ({:.0f}%)\n", definition.file, reached, definition.items.size(),
                       percent(reached, definition.items.size()));
    for (const CoverageItem& item : definition.items)
      out << fmt::format("  {} {:<8} {}\n", item.covered ? '+' : '-',
                         fmt::format("{}:{}", item.where.line, item.where.column), item.what);
  }
  out << fmt::format("coverage: {} of {} ({:.1f}%) states, Choice rules, Defaults, Catchers and Retriers reached\n",
                     covered, all, percent(covered, all));
  return percent(covered, all);
}

}  // namespace flowstate::cli
