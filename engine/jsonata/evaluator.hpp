// Evaluator: one evaluation of a compiled expression against an input — the scope chain, the
// depth and time limits, and the semantics of every syntax node. Never modifies the tree.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/jsonata/evaluation_limits.hpp"
#include "engine/jsonata/function_value.hpp"
#include "engine/jsonata/syntax_tree.hpp"
#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

class Bindings;

class Evaluator {
 public:
  Evaluator(const Bindings* bindings, const EvaluationLimits& limits);

  /// Evaluates the whole expression: wraps an array input, binds $$, collapses the result.
  Value run(const SyntaxNode& tree, const boost::json::value* input);

  Value evaluate(const SyntaxNode& node, const Value& input, const FramePtr& env);
  /// Calls a function value (lambda, native, partial...) with arguments, trampolining
  /// tail calls.
  Value apply(const Value& function, std::vector<Value> args, const Value& context, std::size_t position);
  /// Keeps a JSON value alive for the rest of the evaluation and returns a view of it.
  Value keep(boost::json::value json);
  /// Keeps a tree parsed during evaluation ($eval) alive for the rest of the evaluation.
  const SyntaxNode& keep(SyntaxPtr tree);
  const FramePtr& root_frame() const { return root_; }

  /// $now() and $millis(): the time the evaluation started, the same for every call in it.
  double now_millis() const { return now_millis_; }

  /// JSONata's boolean conversion ($boolean, conditions, and/or, predicates).
  static bool truthy(const Value& value);
  static bool truthy_at(const Value& value, int depth);

 private:
  // Counts nested evaluations (U1001 beyond the limit) and checks the clock now and then.
  struct DepthGuard {
    DepthGuard(Evaluator& e, std::size_t position);
    ~DepthGuard() { --evaluator.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Evaluator& evaluator;
  };

  Value evaluate_path(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_step(const SyntaxNode& step, const Value& input, const FramePtr& env, bool last_step);
  Value evaluate_tuple_step(const SyntaxNode& step, const Value& input, Value tuples, const FramePtr& env);
  Value evaluate_stages(const std::vector<Stage>& stages, Value input, const FramePtr& env);
  Value evaluate_filter(const SyntaxNode& predicate, const Value& input, const FramePtr& env);
  Value evaluate_group(const GroupBy& group, const Value& input, const FramePtr& env);
  Value evaluate_sort(const SyntaxNode& sort, const Value& input, const FramePtr& env);
  Value evaluate_name(const SyntaxNode& node, const Value& input, int depth = 0);
  Value evaluate_wildcard(const Value& input);
  Value evaluate_descendants(const Value& input);
  Value evaluate_parent(const SyntaxNode& node, const FramePtr& env);
  Value evaluate_binary(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_array(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_block(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_variable(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_call(const SyntaxNode& node, const Value& input, const FramePtr& env, const Value* first_arg);
  Value evaluate_partial(const SyntaxNode& node, const Value& input, const FramePtr& env, const Value* first_arg);
  Value evaluate_apply(const SyntaxNode& node, const Value& input, const FramePtr& env);
  Value evaluate_transform(const SyntaxNode& node, const FramePtr& env);
  Value apply_once(const Value& function, std::vector<Value> args, const Value& context, std::size_t position);
  Value apply_lambda(const FunctionNode& lambda, std::vector<Value> args);
  Value run_transform(const FunctionNode& transform, const Value& object);
  FramePtr frame_from_tuple(const FramePtr& env, const Value& tuple);
  Value lookup(std::string_view name, const FramePtr& env);
  void check_limits(std::size_t position);

  const Bindings* bindings_;
  EvaluationLimits limits_;
  std::size_t depth_ = 0;
  std::size_t steps_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::deque<boost::json::value> kept_;
  std::vector<SyntaxPtr> kept_trees_;
  FramePtr root_;
  double now_millis_ = 0;
};

/// Appends `value` to `sequence` (JSONata's append: undefined ignored, arrays spliced).
Value append_values(Value a, Value b);
/// A copy of an array's items in a fresh built array (to set flags on a borrowed array).
boost::intrusive_ptr<ArrayNode> copy_array(const Value& array);

}  // namespace flowstate::jsonata
