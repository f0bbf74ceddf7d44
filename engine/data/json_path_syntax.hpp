// The compiled form of a JsonPath — its segments and filter expressions — shared by the parser
// (json_path.cpp) and the evaluator (json_path_evaluation.cpp). Internal to engine/data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/data/json_path.hpp"

namespace flowstate::data {

namespace path_syntax {

struct Child {
  std::string name;
};
struct Index {
  std::int64_t index;
};
struct Wildcard {};
struct Slice {
  std::optional<std::int64_t> start, end;
  std::int64_t step = 1;
};
struct Union {
  std::vector<std::variant<std::string, std::int64_t>> members;
};
struct DeepScan {
  std::optional<std::string> name;  // nullopt: every node ("..*")
};

// A filter expression "[?(...)]": comparisons of @-relative paths with literals.
struct FilterOperand;
struct FilterExpression {
  enum class Op { exists, eq, ne, lt, le, gt, ge, and_, or_, not_ } op = Op::exists;
  std::vector<FilterOperand> operands;
  std::vector<FilterExpression> children;  // and_ / or_ / not_
};
struct FilterOperand {
  // a relative path (@...) or absolute path ($...) or a literal
  std::optional<JsonPath> path;
  bool relative = false;
  boost::json::value literal;
};
struct Filter {
  std::shared_ptr<FilterExpression> expression;
};

}  // namespace path_syntax

struct JsonPath::Segment {
  std::variant<path_syntax::Child, path_syntax::Index, path_syntax::Wildcard, path_syntax::Slice,
               path_syntax::Union, path_syntax::DeepScan, path_syntax::Filter>
      kind;
};

struct JsonPath::Compiled {
  Root root = Root::input;
  std::string variable;
  std::vector<Segment> segments;
  bool definite = true;
  std::string unevaluable;  ///< why evaluating fails, for a path AWS accepts but cannot read
};

namespace path_syntax {

/// Member names and literal indexes name at most one node.
bool is_definite_segment(const JsonPath::Segment& segment);

}  // namespace path_syntax

}  // namespace flowstate::data
