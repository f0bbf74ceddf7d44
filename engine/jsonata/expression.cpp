#include "engine/jsonata/expression.hpp"

#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/parser.hpp"

namespace flowstate::jsonata {

Expression::Expression(std::string text, std::shared_ptr<const SyntaxNode> tree)
    : text_(std::move(text)), tree_(std::move(tree)) {}

boost::system::result<Expression, Error> Expression::compile(std::string_view text) {
  try {
    std::shared_ptr<const SyntaxNode> tree = parse(text);
    return Expression(std::string(text), std::move(tree));
  } catch (const RaisedError& e) {
    return e.error();
  }
}

boost::system::result<std::optional<boost::json::value>, Error> Expression::evaluate(
    const boost::json::value* input, const Bindings& bindings, const EvaluationLimits& limits) const {
  try {
    Evaluator evaluator(&bindings, limits);
    Value result = evaluator.run(*tree_, input);
    if (result.is_number() && !std::isfinite(result.as_number()))
      return Error{"D1001", "Number out of range", 0};
    return to_json(result);
  } catch (const RaisedError& e) {
    return e.error();
  }
}

}  // namespace flowstate::jsonata
