#include "states/choice_rule.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/timestamp.hpp"

namespace flowstate::states {

namespace json = boost::json;

namespace {

// ---------------------------------------------------------------------------------------------
// The operator vocabulary (ASL spec "Choice Rules"; DG state-choice). One row per operator.

enum class Family { string, numeric, boolean, timestamp, type_test };
enum class Relation { equals, less_than, greater_than, less_than_equals, greater_than_equals };
enum class Operand { literal, path, pattern, flag };
enum class TypeTest { is_null, is_present, is_numeric, is_string, is_boolean, is_timestamp };

struct OperatorSpec {
  std::string_view name;
  Family family;
  Operand operand;
  Relation relation = Relation::equals;
  TypeTest type_test = TypeTest::is_null;
};

using F = Family;
using O = Operand;
using R = Relation;
constexpr std::array kOperators{
    OperatorSpec{"StringEquals", F::string, O::literal, R::equals},
    OperatorSpec{"StringEqualsPath", F::string, O::path, R::equals},
    OperatorSpec{"StringLessThan", F::string, O::literal, R::less_than},
    OperatorSpec{"StringLessThanPath", F::string, O::path, R::less_than},
    OperatorSpec{"StringGreaterThan", F::string, O::literal, R::greater_than},
    OperatorSpec{"StringGreaterThanPath", F::string, O::path, R::greater_than},
    OperatorSpec{"StringLessThanEquals", F::string, O::literal, R::less_than_equals},
    OperatorSpec{"StringLessThanEqualsPath", F::string, O::path, R::less_than_equals},
    OperatorSpec{"StringGreaterThanEquals", F::string, O::literal, R::greater_than_equals},
    OperatorSpec{"StringGreaterThanEqualsPath", F::string, O::path, R::greater_than_equals},
    OperatorSpec{"StringMatches", F::string, O::pattern},
    OperatorSpec{"NumericEquals", F::numeric, O::literal, R::equals},
    OperatorSpec{"NumericEqualsPath", F::numeric, O::path, R::equals},
    OperatorSpec{"NumericLessThan", F::numeric, O::literal, R::less_than},
    OperatorSpec{"NumericLessThanPath", F::numeric, O::path, R::less_than},
    OperatorSpec{"NumericGreaterThan", F::numeric, O::literal, R::greater_than},
    OperatorSpec{"NumericGreaterThanPath", F::numeric, O::path, R::greater_than},
    OperatorSpec{"NumericLessThanEquals", F::numeric, O::literal, R::less_than_equals},
    OperatorSpec{"NumericLessThanEqualsPath", F::numeric, O::path, R::less_than_equals},
    OperatorSpec{"NumericGreaterThanEquals", F::numeric, O::literal, R::greater_than_equals},
    OperatorSpec{"NumericGreaterThanEqualsPath", F::numeric, O::path, R::greater_than_equals},
    OperatorSpec{"BooleanEquals", F::boolean, O::literal, R::equals},
    OperatorSpec{"BooleanEqualsPath", F::boolean, O::path, R::equals},
    OperatorSpec{"TimestampEquals", F::timestamp, O::literal, R::equals},
    OperatorSpec{"TimestampEqualsPath", F::timestamp, O::path, R::equals},
    OperatorSpec{"TimestampLessThan", F::timestamp, O::literal, R::less_than},
    OperatorSpec{"TimestampLessThanPath", F::timestamp, O::path, R::less_than},
    OperatorSpec{"TimestampGreaterThan", F::timestamp, O::literal, R::greater_than},
    OperatorSpec{"TimestampGreaterThanPath", F::timestamp, O::path, R::greater_than},
    OperatorSpec{"TimestampLessThanEquals", F::timestamp, O::literal, R::less_than_equals},
    OperatorSpec{"TimestampLessThanEqualsPath", F::timestamp, O::path, R::less_than_equals},
    OperatorSpec{"TimestampGreaterThanEquals", F::timestamp, O::literal, R::greater_than_equals},
    OperatorSpec{"TimestampGreaterThanEqualsPath", F::timestamp, O::path,
                 R::greater_than_equals},
    OperatorSpec{"IsNull", F::type_test, O::flag, R::equals, TypeTest::is_null},
    OperatorSpec{"IsPresent", F::type_test, O::flag, R::equals, TypeTest::is_present},
    OperatorSpec{"IsNumeric", F::type_test, O::flag, R::equals, TypeTest::is_numeric},
    OperatorSpec{"IsString", F::type_test, O::flag, R::equals, TypeTest::is_string},
    OperatorSpec{"IsBoolean", F::type_test, O::flag, R::equals, TypeTest::is_boolean},
    OperatorSpec{"IsTimestamp", F::type_test, O::flag, R::equals, TypeTest::is_timestamp},
};

const OperatorSpec* find_operator(std::string_view name) {
  for (const auto& spec : kOperators)
    if (spec.name == name) return &spec;
  return nullptr;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

enum class Combinator { and_rule, or_rule, not_rule };

std::optional<Combinator> find_combinator(std::string_view name) {
  if (name == "And") return Combinator::and_rule;
  if (name == "Or") return Combinator::or_rule;
  if (name == "Not") return Combinator::not_rule;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Value semantics.

// Java String.compareTo: lexicographic over UTF-16 code units (DG state-choice links it). UTF-8
// byte order equals code point order, which differs from UTF-16 order only where a
// supplementary character (a surrogate pair, D800-DFFF) meets U+E000..U+FFFF.
int compare_java_strings(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t common = std::min(a.size(), b.size());
  while (i < common && a[i] == b[i]) ++i;
  if (i == common) return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  auto decode = [](std::string_view s, std::size_t at) -> std::uint32_t {
    auto byte = [&](std::size_t k) -> std::uint32_t {
      return at + k < s.size() ? static_cast<unsigned char>(s[at + k]) : 0;
    };
    std::uint32_t lead = byte(0);
    if (lead < 0x80) return lead;
    if (lead < 0xE0) return ((lead & 0x1F) << 6) | (byte(1) & 0x3F);
    if (lead < 0xF0) return ((lead & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    return ((lead & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
           (byte(3) & 0x3F);
  };
  auto first_unit = [](std::uint32_t cp) -> std::uint32_t {
    return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10);
  };
  std::uint32_t ca = decode(a, i), cb = decode(b, i);
  std::uint32_t ua = first_unit(ca), ub = first_unit(cb);
  if (ua == ub) {  // both supplementary with the same high surrogate: low surrogates decide
    ua = (ca - 0x10000) & 0x3FF;
    ub = (cb - 0x10000) & 0x3FF;
  }
  return ua < ub ? -1 : 1;
}

// Compares an integer with a double exactly (no rounding of large integers).
template <typename Integer>
std::partial_ordering compare_integer_double(Integer i, double d) {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  constexpr double kLow = std::is_signed_v<Integer> ? -9223372036854775808.0 : 0.0;
  constexpr double kHigh =
      std::is_signed_v<Integer> ? 9223372036854775808.0 : 18446744073709551616.0;
  if (d < kLow) return std::partial_ordering::greater;
  if (d >= kHigh) return std::partial_ordering::less;
  double whole = std::trunc(d);
  auto truncated = static_cast<Integer>(whole);
  if (i != truncated) return i < truncated ? std::partial_ordering::less
                                           : std::partial_ordering::greater;
  return 0.0 <=> d - whole;
}

std::partial_ordering flip(std::partial_ordering order) { return 0 <=> order; }

// Numbers compare by value whether written 1, 1.0 or 1e0 (conformance numeric.numeric_equals-05,
// -15: 0 equals 0.0, 1 equals 1.0).
std::partial_ordering compare_numbers(const json::value& a, const json::value& b) {
  switch (a.kind()) {
    case json::kind::int64:
      switch (b.kind()) {
        case json::kind::int64: return a.get_int64() <=> b.get_int64();
        case json::kind::uint64:
          if (a.get_int64() < 0) return std::partial_ordering::less;
          return static_cast<std::uint64_t>(a.get_int64()) <=> b.get_uint64();
        default: return compare_integer_double(a.get_int64(), b.get_double());
      }
    case json::kind::uint64:
      switch (b.kind()) {
        case json::kind::int64: return flip(compare_numbers(b, a));
        case json::kind::uint64: return a.get_uint64() <=> b.get_uint64();
        default: return compare_integer_double(a.get_uint64(), b.get_double());
      }
    default:
      if (b.is_double()) return a.get_double() <=> b.get_double();
      return flip(compare_numbers(b, a));
  }
}

bool holds(Relation relation, std::partial_ordering order) {
  switch (relation) {
    case Relation::equals: return order == 0;
    case Relation::less_than: return order < 0;
    case Relation::greater_than: return order > 0;
    case Relation::less_than_equals: return order <= 0;
    case Relation::greater_than_equals: return order >= 0;
  }
  return false;
}

std::optional<data::Timestamp> as_timestamp(const json::value& value) {
  if (!value.is_string()) return std::nullopt;
  return data::Timestamp::parse(value.get_string());
}

// "For each operator which compares values, if the values are not both of the appropriate type
// (String, number, boolean, or Timestamp) the comparison will return false" (ASL spec).
bool compare(Family family, Relation relation, const json::value& left, const json::value& right) {
  switch (family) {
    case Family::string:
      if (!left.is_string() || !right.is_string()) return false;
      return holds(relation, compare_java_strings(left.get_string(), right.get_string()) <=> 0);
    case Family::numeric:
      if (!left.is_number() || !right.is_number()) return false;
      return holds(relation, compare_numbers(left, right));
    case Family::boolean:
      return left.is_bool() && right.is_bool() && left.get_bool() == right.get_bool();
    case Family::timestamp: {
      auto l = as_timestamp(left), r = as_timestamp(right);
      return l && r && holds(relation, *l <=> *r);
    }
    case Family::type_test: break;
  }
  return false;
}

bool type_test(TypeTest test, const json::value& value) {
  switch (test) {
    case TypeTest::is_null: return value.is_null();
    case TypeTest::is_present: return true;
    case TypeTest::is_numeric: return value.is_number();
    case TypeTest::is_string: return value.is_string();
    case TypeTest::is_boolean: return value.is_bool();
    case TypeTest::is_timestamp: return as_timestamp(value).has_value();
  }
  return false;
}

// StringMatches: "*" matches zero or more characters; "\*" is a literal star and "\\" a literal
// backslash (DG state-choice). Compiled to the literal runs between stars.
struct StringPattern {
  std::vector<std::string> parts;  // parts.size() == number of stars + 1

  bool matches(std::string_view text) const {
    if (parts.size() == 1) return text == parts[0];
    const std::string& first = parts.front();
    const std::string& last = parts.back();
    if (text.size() < first.size() + last.size()) return false;
    if (!text.starts_with(first) || !text.ends_with(last)) return false;
    std::string_view middle = text.substr(first.size(), text.size() - first.size() - last.size());
    for (std::size_t i = 1; i + 1 < parts.size(); ++i) {  // leftmost match of each inner run
      std::size_t at = middle.find(parts[i]);
      if (at == std::string_view::npos) return false;
      middle.remove_prefix(at + parts[i].size());
    }
    return true;
  }
};

// Returns the offending offset for a backslash that escapes neither '*' nor '\'.
std::variant<StringPattern, std::size_t> compile_pattern(std::string_view text) {
  StringPattern pattern;
  pattern.parts.emplace_back();
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '*') {
      pattern.parts.emplace_back();
    } else if (c == '\\') {
      if (i + 1 >= text.size() || (text[i + 1] != '*' && text[i + 1] != '\\')) return i;
      pattern.parts.back() += text[++i];
    } else {
      pattern.parts.back() += c;
    }
  }
  return pattern;
}

asl::Failure invalid_path(const data::JsonPath& path) {
  // Recorded AWS cause (after the runtime's state prefix): "Invalid path '$.processing_type':
  // The choice state's condition path references an invalid value."
  return asl::make_failure(
      std::string(asl::error_name::kRuntime),
      fmt::format("Invalid path '{}': The choice state's condition path references an invalid "
                  "value.",
                  path.text()));
}

// ---------------------------------------------------------------------------------------------
// The compiled form.

struct DataTest {
  const OperatorSpec* spec = nullptr;
  std::optional<data::JsonPath> variable;
  std::optional<data::JsonPath> operand_path;  // Operand::path
  json::value literal;                          // Operand::literal (string, number or bool)
  std::optional<data::Timestamp> timestamp;     // Family::timestamp literal, parsed once
  StringPattern pattern;                        // Operand::pattern
  bool flag = true;                             // Operand::flag: IsNull: true / false

  boost::system::result<bool, asl::Failure> evaluate(const data::PathScope& scope) const {
    const json::value* value = variable->find(scope);
    // IsPresent: "if the Variable-field Path fails to match anything in the input no exception
    // is thrown and the Choice Rule just returns false" (ASL spec); IsPresent: false is then
    // true. Every other operator, IsNull and the other type tests included, fails with
    // States.Runtime (DG state-choice: "If the state input doesn't contain the $.type field,
    // the execution fails"; the spec exempts IsPresent only).
    if (spec->operand == Operand::flag && spec->type_test == TypeTest::is_present)
      return (value != nullptr) == flag;
    if (value == nullptr) return invalid_path(*variable);
    switch (spec->operand) {
      case Operand::flag: return type_test(spec->type_test, *value) == flag;
      case Operand::pattern: return value->is_string() && pattern.matches(value->get_string());
      case Operand::path: {
        const json::value* other = operand_path->find(scope);
        if (other == nullptr) return invalid_path(*operand_path);
        return compare(spec->family, spec->relation, *value, *other);
      }
      case Operand::literal:
        if (spec->family == Family::timestamp) {
          auto left = as_timestamp(*value);
          return left && holds(spec->relation, *left <=> *timestamp);
        }
        return compare(spec->family, spec->relation, *value, literal);
    }
    return false;
  }
};

}  // namespace

struct ChoiceRule::Expression {
  enum class Kind { data_test, and_rule, or_rule, not_rule } kind = Kind::data_test;
  std::vector<Expression> children;  // And / Or: each rule; Not: one
  std::optional<DataTest> test;

  boost::system::result<bool, asl::Failure> evaluate(const data::PathScope& scope) const {
    switch (kind) {
      case Kind::data_test: return test->evaluate(scope);
      case Kind::not_rule: {
        auto inner = children.front().evaluate(scope);
        if (!inner) return inner;
        return !*inner;
      }
      case Kind::and_rule:
      case Kind::or_rule: {
        // Short-circuit, left to right: DG state-choice relies on it ("the StringEquals rule is
        // only evaluated if $.keyThatMightNotExist exists because of the previous IsPresent").
        bool is_and = kind == Kind::and_rule;
        for (const auto& child : children) {
          auto r = child.evaluate(scope);
          if (!r) return r;
          if (*r != is_and) return !is_and;
        }
        return is_and;
      }
    }
    return false;
  }
};

namespace {

std::string_view describe(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

class RuleCompiler {
 public:
  RuleCompiler(const definition::Document& document, definition::Diagnostics& diagnostics)
      : document_(document), diagnostics_(diagnostics) {}

  // Returns nullopt after adding at least one diagnostic.
  std::optional<ChoiceRule::Expression> compile(const json::value& rule, RuleLevel level) {
    if (!rule.is_object()) {
      error_at(rule, fmt::format("Choice rule must be an object; got {}", describe(rule)));
      return std::nullopt;
    }
    const json::object& object = rule.get_object();
    bool ok = true;
    const json::value* variable = nullptr;
    std::vector<std::pair<std::string_view, const json::value*>> operators;

    for (const auto& member : object) {
      std::string_view key = member.key();
      const json::value& value = member.value();
      if (key == "Variable") {
        variable = &value;
      } else if (find_operator(key) || find_combinator(key)) {
        operators.emplace_back(key, &value);
      } else if (key == "Comment") {
        // allowed at every level
      } else if (key == "Output") {
        ok = key_error(value, "'Output' is a JSONata field, but this Choice rule is JSONPath; set "
                              "'QueryLanguage: JSONata' to use it, or use the state's "
                              "'OutputPath'");
      } else if (key == "Next" || key == "Assign") {
        if (level == RuleLevel::nested) {
          ok = key_error(value, fmt::format("'{}' is not allowed inside And, Or or Not; only a "
                                            "top-level rule in Choices may have it",
                                            key));
        }
      } else if (key == "Condition") {
        ok = key_error(value, "'Condition' is a JSONata field; a JSONPath Choice rule uses "
                              "Variable with a comparison operator");
      } else {
        ok = key_error(value, unknown_field_message(key));
      }
    }

    if (operators.empty()) {
      if (!ok) return std::nullopt;  // an unknown field already said what is wrong
      error_at(rule, "Choice rule has no comparison operator; expected Variable with one "
                     "operator (such as StringEquals, NumericLessThanPath, BooleanEquals, "
                     "TimestampGreaterThan or IsPresent), or one of And, Or, Not");
      return std::nullopt;
    }
    if (operators.size() > 1) {
      key_error(*operators[1].second,
                fmt::format("Choice rule has two operators, '{}' and '{}'; a rule holds exactly "
                            "one (combine rules with And or Or)",
                            operators[0].first, operators[1].first));
      return std::nullopt;
    }

    auto [name, operand] = operators.front();
    if (auto combinator = find_combinator(name)) {
      if (variable != nullptr) {
        key_error(*variable, fmt::format("'Variable' is not allowed beside '{}'; a boolean rule "
                                         "holds only its sub-rules",
                                         name));
        ok = false;
      }
      auto expression = compile_combinator(*combinator, name, *operand);
      if (!ok || !expression) return std::nullopt;
      return expression;
    }

    const OperatorSpec& spec = *find_operator(name);
    DataTest test;
    test.spec = &spec;
    if (variable == nullptr) {
      error_at(rule, fmt::format("Choice rule with '{}' has no 'Variable'; add the path of the "
                                 "value to test, e.g. Variable: $.status",
                                 name));
      ok = false;
    } else {
      test.variable = compile_path("Variable", *variable);
      ok = test.variable.has_value() && ok;
    }
    ok = compile_operand(spec, *operand, test) && ok;
    if (!ok) return std::nullopt;
    ChoiceRule::Expression expression;
    expression.test = std::move(test);
    return expression;
  }

 private:
  std::optional<ChoiceRule::Expression> compile_combinator(Combinator combinator,
                                                            std::string_view name,
                                                            const json::value& operand) {
    ChoiceRule::Expression expression;
    if (combinator == Combinator::not_rule) {
      expression.kind = ChoiceRule::Expression::Kind::not_rule;
      if (!operand.is_object()) {
        error_at(operand, fmt::format("'Not' must be an object holding one Choice rule; got {}",
                                      describe(operand)));
        return std::nullopt;
      }
      auto inner = compile(operand, RuleLevel::nested);
      if (!inner) return std::nullopt;
      expression.children.push_back(std::move(*inner));
      return expression;
    }
    expression.kind = combinator == Combinator::and_rule ? ChoiceRule::Expression::Kind::and_rule
                                                         : ChoiceRule::Expression::Kind::or_rule;
    if (!operand.is_array() || operand.get_array().empty()) {
      error_at(operand, fmt::format("'{}' must be a non-empty array of Choice rules; got {}", name,
                                    operand.is_array() ? "an empty array" : describe(operand)));
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& element : operand.get_array()) {
      auto inner = compile(element, RuleLevel::nested);
      if (inner) {
        expression.children.push_back(std::move(*inner));
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return expression;
  }

  bool compile_operand(const OperatorSpec& spec, const json::value& operand, DataTest& test) {
    switch (spec.operand) {
      case Operand::flag:
        if (!operand.is_bool())
          return error_at(operand, fmt::format("'{}' expects true or false; got {}", spec.name,
                                               describe(operand)));
        test.flag = operand.get_bool();
        return true;
      case Operand::path:
        test.operand_path = compile_path(spec.name, operand);
        return test.operand_path.has_value();
      case Operand::pattern: {
        if (!operand.is_string())
          return error_at(operand, fmt::format("'StringMatches' expects a string pattern such as "
                                               "log-*.txt; got {}",
                                               describe(operand)));
        std::string_view text = operand.get_string();
        auto compiled = compile_pattern(text);
        if (auto* offset = std::get_if<std::size_t>(&compiled)) {
          return error_at(
              operand,
              fmt::format("'StringMatches' pattern '{}' has a backslash at offset {} that escapes "
                          "neither '*' nor '\\'; write \\* for a literal star and \\\\ for a "
                          "literal backslash",
                          text, *offset));
        }
        test.pattern = std::get<StringPattern>(std::move(compiled));
        return true;
      }
      case Operand::literal: break;
    }
    switch (spec.family) {
      case Family::string:
        if (!operand.is_string())
          return error_at(operand, fmt::format("'{}' expects a string; got {}", spec.name,
                                               describe(operand)));
        break;
      case Family::numeric:
        if (!operand.is_number())
          return error_at(operand, fmt::format("'{}' expects a number; got {}", spec.name,
                                               describe(operand)));
        break;
      case Family::boolean:
        if (!operand.is_bool())
          return error_at(operand, fmt::format("'{}' expects true or false; got {}", spec.name,
                                               describe(operand)));
        break;
      case Family::timestamp:
        if (!operand.is_string())
          return error_at(operand, fmt::format("'{}' expects a timestamp string such as "
                                               "2016-03-14T01:59:00Z; got {}",
                                               spec.name, describe(operand)));
        test.timestamp = data::Timestamp::parse(operand.get_string());
        if (!test.timestamp)
          return error_at(operand,
                          fmt::format("'{}' value '{}' is not a valid timestamp; expected RFC "
                                      "3339 with an uppercase T and a Z or ±hh:mm offset, e.g. "
                                      "2016-03-14T01:59:00Z",
                                      spec.name, std::string_view(operand.get_string())));
        break;
      case Family::type_test: break;
    }
    test.literal = operand;
    return true;
  }

  // Variable and the *Path operands: "must be valid Reference Paths" (DG state-choice), over the
  // input ($.x), the context object ($$.x) or a variable ($name).
  std::optional<data::JsonPath> compile_path(std::string_view field, const json::value& value) {
    if (!value.is_string()) {
      error_at(value, fmt::format("'{}' must be a path string such as $.status; got {}", field,
                                  describe(value)));
      return std::nullopt;
    }
    std::string_view text = value.get_string();
    auto path = data::JsonPath::compile(text);
    if (!path) {
      error_at(value, fmt::format("'{}' is not a valid path: {}", field, path.error()));
      return std::nullopt;
    }
    if (!path->is_definite()) {
      error_at(value, fmt::format("'{}' must name a single node (only .name, ['name'] and [n]); "
                                  "got '{}'",
                                  field, text));
      return std::nullopt;
    }
    return std::move(*path);
  }

  std::string unknown_field_message(std::string_view key) const {
    for (const auto& spec : kOperators)
      if (equals_ignoring_case(key, spec.name))
        return fmt::format("unknown field '{}' in Choice rule; did you mean '{}'?", key,
                           spec.name);
    for (std::string_view known : {"Variable", "And", "Or", "Not", "Next", "Comment"})
      if (equals_ignoring_case(key, known))
        return fmt::format("unknown field '{}' in Choice rule; did you mean '{}'?", key, known);
    return fmt::format("unknown field '{}' in Choice rule; expected Variable with one comparison "
                       "operator, or one of And, Or, Not",
                       key);
  }

  bool error_at(const json::value& node, std::string message) {
    diagnostics_.add(document_.location_of(node), std::move(message));
    return false;
  }
  bool key_error(const json::value& member_value, std::string message) {
    diagnostics_.add(document_.key_location_of(member_value), std::move(message));
    return false;
  }

  const definition::Document& document_;
  definition::Diagnostics& diagnostics_;
};

}  // namespace

std::optional<ChoiceRule> ChoiceRule::compile(const json::value& rule, RuleLevel level,
                                              const definition::Document& document,
                                              definition::Diagnostics& diagnostics) {
  auto expression = RuleCompiler(document, diagnostics).compile(rule, level);
  if (!expression) return std::nullopt;
  return ChoiceRule(std::make_unique<Expression>(std::move(*expression)));
}

ChoiceRule ChoiceRule::jsonata_condition() {
  auto expression = std::make_unique<Expression>();
  expression->kind = Expression::Kind::and_rule;
  return ChoiceRule(std::move(expression));
}

ChoiceRule::ChoiceRule(std::unique_ptr<Expression> expression)
    : expression_(std::move(expression)) {}
ChoiceRule::ChoiceRule(ChoiceRule&&) noexcept = default;
ChoiceRule& ChoiceRule::operator=(ChoiceRule&&) noexcept = default;
ChoiceRule::~ChoiceRule() = default;

boost::system::result<bool, asl::Failure> ChoiceRule::evaluate(
    const data::PathScope& scope) const {
  return expression_->evaluate(scope);
}

}  // namespace flowstate::states
