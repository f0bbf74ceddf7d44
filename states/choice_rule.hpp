// ChoiceRule: one compiled Choice rule (JSONPath query language): a data-test expression
// (Variable + one comparison operator, including the *Path variants and the Is* type tests)
// or a boolean combination (And / Or / Not), evaluated against the state's effective input.
#pragma once

#include <memory>
#include <optional>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/definition/diagnostic.hpp"
#include "engine/definition/document.hpp"

namespace flowstate::states {

/// A top-level rule (an element of Choices) carries Next (and may carry Comment, Assign);
/// a nested rule (inside And/Or/Not) must not carry Next.
enum class RuleLevel { top, nested };

class ChoiceRule {
 public:
  /// Compiles `rule` (a JSON object inside a definition). Every problem is added to
  /// `diagnostics` at the position of the offending node, e.g. "Choice rule has no
  /// comparison operator; expected one of StringEquals, ..." or "'Not' must be an object".
  /// Fields that the caller owns at top level (Next, Comment, Assign, Output) are accepted
  /// and ignored here. Returns nullopt when the rule cannot be compiled.
  static std::optional<ChoiceRule> compile(const boost::json::value& rule, RuleLevel level,
                                           const definition::Document& document,
                                           definition::Diagnostics& diagnostics);

  /// The stand-in for a JSONata rule's Condition, which the runtime cannot evaluate yet: the
  /// compiler records JSONata as unsupported on the Plan, and such plans are refused before
  /// they run. (It is an empty And, which nothing else compiles to.)
  static ChoiceRule jsonata_condition();

  ChoiceRule(ChoiceRule&&) noexcept;
  ChoiceRule& operator=(ChoiceRule&&) noexcept;
  ~ChoiceRule();

  /// True when the rule matches. AWS semantics: mismatched types compare false; a Variable
  /// that matches nothing is States.Runtime except for IsPresent (which is then false).
  /// A Failure's cause is the detail only; the runtime adds AWS's state/event prefix.
  boost::system::result<bool, asl::Failure> evaluate(const data::PathScope& scope) const;

  struct Expression;  // defined in choice_rule.cpp

 private:
  explicit ChoiceRule(std::unique_ptr<Expression> expression);
  std::unique_ptr<Expression> expression_;
};

}  // namespace flowstate::states
