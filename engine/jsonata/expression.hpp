// Expression: a JSONata expression compiled once (Expression::compile) and evaluated any
// number of times, concurrently if need be, against a JSON input and Bindings.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/jsonata/bindings.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluation_limits.hpp"

namespace flowstate::jsonata {

struct SyntaxNode;

class Expression {
 public:
  struct Options {
    /// "??" and "?:" (JSONata 2.1). Step Functions runs JSONata 2.0, where they are syntax
    /// errors: set false to match it.
    bool jsonata_2_1_operators = true;
  };

  /// Parses `text`; a syntax error comes back as an Error with an S0xxx code.
  static boost::system::result<Expression, Error> compile(std::string_view text);
  static boost::system::result<Expression, Error> compile(std::string_view text, const Options& options);

  /// Evaluates against `input` (nullptr = undefined). The result is nullopt when the
  /// expression yields JSONata's undefined (or a function, which has no JSON form). Never
  /// modifies the compiled expression.
  boost::system::result<std::optional<boost::json::value>, Error> evaluate(
      const boost::json::value* input, const Bindings& bindings = {}, const EvaluationLimits& limits = {}) const;

  /// What an evaluation yielded, with a function told apart from undefined (Step Functions
  /// refuses it as "an unsupported result type").
  struct Yield {
    std::optional<boost::json::value> value;  ///< nullopt: undefined or a function
    bool function = false;
  };
  boost::system::result<Yield, Error> evaluate_yield(const boost::json::value* input,
                                                     const Bindings& bindings = {},
                                                     const EvaluationLimits& limits = {}) const;

  const std::string& text() const { return text_; }

  /// Where the expression reads the input document implicitly at its top level: a bare
  /// field name, `$`, `*`, `**`, `%`, or `$$` anywhere. Step Functions refuses these in
  /// definitions ("Reference to 'phone' at the top level is not supported"); names inside
  /// later path steps, predicates, lambdas and transforms are fine.
  struct InputReference {
    std::string name;          ///< "phone", "$", "$$", "*", "**" or "%"
    std::size_t position = 0;  ///< offset just after it in the text
  };
  std::optional<InputReference> top_level_input_reference() const;

 private:
  Expression(std::string text, std::shared_ptr<const SyntaxNode> tree);
  std::string text_;
  std::shared_ptr<const SyntaxNode> tree_;
};

}  // namespace flowstate::jsonata
