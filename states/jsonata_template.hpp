// JsonataTemplate: the value of a field of a JSONata state (Arguments, Output, Assign,
// Condition, Items, Error, ...): any JSON in which every string "{% ... %}" is a JSONata
// expression, compiled at load; evaluating it builds the JSON with each expression's
// result. JsonataScope is what the expressions read: $states and the workflow variables.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/definition/field_reader.hpp"

namespace flowstate::states {

/// $states.input, .context, .result and .errorOutput (null members are absent), and the
/// variables visible to the state.
struct JsonataScope {
  const boost::json::value* input = nullptr;
  const boost::json::value* context = nullptr;
  const boost::json::value* result = nullptr;
  const boost::json::value* error_output = nullptr;
  const boost::json::object* variables = nullptr;
};

/// Whether JSONata text reads $states.context (or $states as a whole).
bool expression_reads_context(std::string_view text);

class JsonataTemplate {
 public:
  /// Compiles `value`, the field `field` ("Output", "Assign", "Choices[0]/Condition", ...:
  /// the location AWS names in its errors). Syntax errors and expressions that read the
  /// input document at their top level (which Step Functions refuses) are reported on
  /// `reader`; nullopt then.
  static std::optional<JsonataTemplate> compile(const boost::json::value& value, std::string field,
                                                definition::FieldReader& reader);

  JsonataTemplate(JsonataTemplate&&) noexcept;
  JsonataTemplate& operator=(JsonataTemplate&&) noexcept;
  ~JsonataTemplate();

  /// The built value; States.QueryEvaluationError with AWS's cause when an expression fails
  /// or returns nothing (undefined), naming the expression and its field location.
  boost::system::result<boost::json::value, asl::Failure> evaluate(const JsonataScope& scope) const;

  /// Whether any expression reads $states.context (the runtime builds it only then).
  bool reads_context() const { return reads_context_; }
  /// The expression when the whole field is one ("" otherwise), as AWS quotes it.
  const std::string& expression_text() const;

  struct Node;  // defined in jsonata_template.cpp

 private:
  JsonataTemplate();
  std::unique_ptr<Node> root_;
  bool reads_context_ = false;
};

}  // namespace flowstate::states
