// QueryLanguage: which language (JSONPath or JSONata) a state's fields are written in, and the
// compile-time rules that follow from it (asl-reference §1.0, §4.1-4.2): which fields each
// language accepts, how a JSONata expression is delimited, and the shape of Assign.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/payload_template.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/jsonata_template.hpp"

namespace flowstate::states {

enum class QueryLanguage { jsonpath, jsonata };

std::string_view to_string(QueryLanguage language);

/// "A JSON string is a JSONata expression iff it starts with {% and ends with %}" (DG-jsonata).
bool is_jsonata_expression(std::string_view text);

/// Reports `field` when it is present but belongs to the other query language, naming what to
/// write instead, and marks it known. True when the field was present and refused.
bool reject_for_language(definition::FieldReader& reader, std::string_view field,
                         QueryLanguage language);

/// Checks every string inside `value` (a JSONata-state field) for a badly delimited
/// expression ("{% ..." without the closing "%}", or an empty "{% %}").
void check_jsonata_value(definition::FieldReader& reader, const boost::json::value& value,
                         std::string_view field);

/// A JSONata-state field that is either a JSONata expression or an integer in [min, max]
/// (TimeoutSeconds, Seconds, MaxConcurrency, ...). The integer when it is one.
std::optional<std::int64_t> integer_or_expression(definition::FieldReader& reader,
                                                  std::string_view field, std::int64_t min,
                                                  std::int64_t max);

/// A JSONata-state integer field written as a number in [min, max] or as an expression
/// (evaluated at run: see IntegerField::evaluate); neither when absent or wrong (reported).
struct IntegerField {
  std::optional<std::int64_t> value;
  std::optional<JsonataTemplate> expression;

  /// The number, or the expression's value, which must be an integer in [min, max]
  /// (States.QueryEvaluationError otherwise); nullopt when the field is absent.
  boost::system::result<std::optional<std::int64_t>, asl::Failure> evaluate(const JsonataScope& scope) const;
  std::string field;
  std::int64_t min = 0;
  std::int64_t max = 0;
};
IntegerField compile_integer_field(definition::FieldReader& reader, std::string_view field,
                                   std::int64_t min, std::int64_t max);

/// "Output" (JSONata only; any JSON value, expressions inside), compiled; nullopt when absent
/// or wrong. `field` is its location in AWS's errors ("Output", "Catch[0]/Output", ...).
std::optional<JsonataTemplate> compile_output(definition::FieldReader& reader, QueryLanguage language,
                                              std::string field = "Output");

/// A compiled "Assign": in a JSONPath state a payload template (evaluating it yields the
/// variables by name, ".$" keys resolved), in a JSONata state a JSONata template.
struct Assignment {
  std::optional<data::PayloadTemplate> jsonpath;
  std::optional<JsonataTemplate> jsonata;
};

/// "Assign": an object whose keys are variable names (identifiers of at most 80 characters,
/// not "states"; in JSONPath a key may end in ".$" and then takes a path or an intrinsic).
/// Empty when absent or wrong (reported).
Assignment compile_assign(definition::FieldReader& reader, QueryLanguage language,
                          std::string field = "Assign");

}  // namespace flowstate::states
