// SyntaxNode: the compiled form of a JSONata expression, built once by the parser and only
// read by the evaluator (never modified after compile, so evaluation is thread-compatible).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/jsonata/signature.hpp"

namespace flowstate::jsonata {

enum class NodeType {
  path,          ///< steps, evaluated left to right over sequences
  name,          ///< a field name step
  string,        ///< literal
  number,        ///< literal
  value,         ///< true, false or null
  variable,      ///< $name, $ (context), $$ (root)
  wildcard,      ///< *
  descendant,    ///< **
  parent,        ///< %
  regex,         ///< /pattern/flags
  binary,        ///< arithmetic, comparison, boolean, &, .., in, ??, ?:
  negation,      ///< unary minus
  array,         ///< [a, b, ...]
  object,        ///< {k: v, ...} with no input (the group is the node's `group`)
  condition,     ///< c ? a : b
  block,         ///< (a; b; c)
  bind,          ///< $x := value
  call,          ///< f(args)
  partial,       ///< f(a, ?)
  placeholder,   ///< ? in a partial application
  lambda,        ///< function($x){...}
  apply,         ///< a ~> f
  sort,          ///< a^(<b, >c) as a path step
  transform,     ///< | pattern | update, delete |
};

enum class BinaryOp {
  add, subtract, multiply, divide, modulo,
  equal, not_equal, less, less_equal, greater, greater_equal,
  and_, or_, concat, range, in, coalesce, default_,
};

struct SyntaxNode;
struct CompiledRegex;
using SyntaxPtr = std::unique_ptr<SyntaxNode>;

/// A predicate `[expr]` or a positional binding `#$i`, in the order they were written.
struct Stage {
  enum class Kind { filter, index } kind = Kind::filter;
  SyntaxPtr expr;         ///< filter
  std::string variable;   ///< index
};

struct SortTerm {
  bool descending = false;
  SyntaxPtr expr;
};

/// `{k: v}` pairs of an object constructor or a grouping.
struct GroupBy {
  std::vector<std::pair<SyntaxPtr, SyntaxPtr>> pairs;
  std::size_t position = 0;
};

/// The parent slot a `%` reads: the variable (a label such as "!0") that the step `level`
/// steps up binds to its input. Shared between the `%` node and that step while parsing
/// (two `%` that reach the same step end up with one label); read-only afterwards.
struct AncestorSlot {
  std::string label;
  int level = 1;
};
using SlotPtr = std::shared_ptr<AncestorSlot>;

struct SyntaxNode {
  NodeType type;
  std::size_t position = 0;

  BinaryOp op = BinaryOp::add;
  std::string text;            ///< name, variable name, regex source
  double number = 0;
  boost::json::value literal;  ///< string / true / false / null literals (evaluated by reference)

  SyntaxPtr lhs, rhs;                  ///< binary, bind, apply, condition (lhs = test)
  SyntaxPtr then, otherwise;           ///< condition
  std::vector<SyntaxPtr> items;        ///< path steps, array items, block expressions, call arguments
  SyntaxPtr procedure;                 ///< call, partial
  std::vector<Stage> stages;           ///< path step predicates and index bindings
  std::vector<SyntaxPtr> predicates;   ///< predicates of a non-step expression
  std::unique_ptr<GroupBy> group;      ///< object constructor, or grouping of a path/expression
  std::vector<SortTerm> terms;         ///< sort

  // Lambda
  std::vector<std::string> params;
  std::optional<Signature> signature;
  SyntaxPtr body;
  bool thunk = false;  ///< a tail call wrapped for the trampoline

  // Transform: lhs = pattern, rhs = update, otherwise = delete
  // Regex
  std::shared_ptr<const CompiledRegex> regex;

  // Path and step flags
  bool keep_array = false;            ///< step written with [] : keep singleton arrays
  bool keep_singleton_array = false;  ///< path containing such a step
  bool cons_array = false;            ///< array constructor as first/last step: not flattened
  bool tuple = false;                 ///< step binds @ or # variables: evaluate as tuples
  std::string focus;                  ///< @$var
  std::string index_variable;         ///< #$var
  SlotPtr ancestor;                   ///< this step binds its input for a % below it
  SlotPtr slot;                       ///< parent node: which label to read
  std::vector<SlotPtr> seeking_parent;  ///< parse time: % below this node not yet resolved

  explicit SyntaxNode(NodeType t, std::size_t pos = 0) : type(t), position(pos) {}
};

}  // namespace flowstate::jsonata
