#include "engine/jsonata/expression.hpp"

#include <cmath>

#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/parser.hpp"

namespace flowstate::jsonata {

Expression::Expression(std::string text, std::shared_ptr<const SyntaxNode> tree)
    : text_(std::move(text)), tree_(std::move(tree)) {}

namespace {

using InputReference = Expression::InputReference;

std::optional<InputReference> find_input_reference(const SyntaxNode& n, bool top) {
  auto walk = [](const SyntaxPtr& child, bool child_top) -> std::optional<InputReference> {
    return child ? find_input_reference(*child, child_top) : std::nullopt;
  };
  auto here = [&](std::string name) { return std::optional<InputReference>(InputReference{std::move(name), n.position}); };
  std::optional<InputReference> found;
  auto first = [&](std::optional<InputReference> r) {
    if (!found && r) found = std::move(r);
  };
  switch (n.type) {
    case NodeType::name: return top ? here(n.text) : std::nullopt;
    case NodeType::variable:
      if (n.text == "$") return here("$$");
      return top && n.text.empty() ? here("$") : std::nullopt;
    case NodeType::wildcard: return top ? here("*") : std::nullopt;
    case NodeType::descendant: return top ? here("**") : std::nullopt;
    case NodeType::parent: return top ? here("%") : std::nullopt;
    case NodeType::lambda:
    case NodeType::transform: return std::nullopt;
    case NodeType::path:
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        first(walk(n.items[i], top && i == 0));
        for (const auto& stage : n.items[i]->stages) first(walk(stage.expr, false));
      }
      if (n.group)
        for (const auto& [k, v] : n.group->pairs) {
          first(walk(k, false));
          first(walk(v, false));
        }
      return found;
    default: break;
  }
  first(walk(n.lhs, top));
  first(walk(n.rhs, top));
  first(walk(n.then, top));
  first(walk(n.otherwise, top));
  first(walk(n.procedure, top));
  for (const auto& item : n.items) first(walk(item, top));
  for (const auto& p : n.predicates) first(walk(p, false));
  for (const auto& term : n.terms) first(walk(term.expr, false));
  if (n.group)
    for (const auto& [k, v] : n.group->pairs) {
      first(walk(k, top && n.type == NodeType::object));
      first(walk(v, top && n.type == NodeType::object));
    }
  return found;
}

}  // namespace

std::optional<Expression::InputReference> Expression::top_level_input_reference() const {
  return find_input_reference(*tree_, true);
}

boost::system::result<Expression, Error> Expression::compile(std::string_view text) { return compile(text, Options{}); }

boost::system::result<Expression, Error> Expression::compile(std::string_view text, const Options& options) {
  try {
    ParseOptions parse_options;
    parse_options.jsonata_2_1_operators = options.jsonata_2_1_operators;
    std::shared_ptr<const SyntaxNode> tree = parse(text, parse_options);
    return Expression(std::string(text), std::move(tree));
  } catch (const RaisedError& e) {
    return e.error();
  }
}

boost::system::result<std::optional<boost::json::value>, Error> Expression::evaluate(
    const boost::json::value* input, const Bindings& bindings, const EvaluationLimits& limits) const {
  auto yielded = evaluate_yield(input, bindings, limits);
  if (!yielded) return yielded.error();
  return std::move(yielded->value);
}

boost::system::result<Expression::Yield, Error> Expression::evaluate_yield(
    const boost::json::value* input, const Bindings& bindings, const EvaluationLimits& limits) const {
  try {
    Evaluator evaluator(&bindings, limits);
    Value result = evaluator.run(*tree_, input);
    if (result.is_number() && !std::isfinite(result.as_number()))
      return Error{"D1001", "Number out of range", 0};
    if (result.is_function()) return Yield{std::nullopt, true};
    return Yield{to_json(result), false};
  } catch (const RaisedError& e) {
    return e.error();
  }
}

}  // namespace flowstate::jsonata
