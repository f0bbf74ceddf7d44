#include "engine/jsonata/evaluator.hpp"

#include <cmath>

#include <fmt/format.h>

#include "engine/jsonata/bindings.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/function_library.hpp"
#include "engine/jsonata/string_conversion.hpp"

namespace flowstate::jsonata {

namespace json = boost::json;

Evaluator::DepthGuard::DepthGuard(Evaluator& e, std::size_t position) : evaluator(e) {
  if (++evaluator.depth_ > evaluator.limits_.max_depth)
    raise("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
          position);
  if ((++evaluator.steps_ & 1023) == 0) evaluator.check_limits(position);
}

Evaluator::Evaluator(const Bindings* bindings, const EvaluationLimits& limits)
    : bindings_(bindings), limits_(limits) {}

void Evaluator::check_limits(std::size_t position) {
  if (limits_.time_limit && std::chrono::steady_clock::now() > deadline_)
    raise("U1001", "Expression evaluation timeout: Check for infinite loop", position);
}

Value Evaluator::keep(json::value j) {
  kept_.push_back(std::move(j));
  return Value::borrow(kept_.back());
}

const SyntaxNode& Evaluator::keep(SyntaxPtr tree) {
  kept_trees_.push_back(std::move(tree));
  return *kept_trees_.back();
}

Value Evaluator::run(const SyntaxNode& tree, const json::value* input) {
  if (limits_.time_limit) deadline_ = std::chrono::steady_clock::now() + *limits_.time_limit;
  now_millis_ = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch()).count());
  Value in = input ? Value::borrow(*input) : Value();
  if (in.is_array()) {
    auto wrapper = make_sequence();
    wrapper->items.push_back(in);
    wrapper->outer_wrapper = true;
    in = Value::array(std::move(wrapper));
  }
  root_ = make_frame(nullptr);
  root_->bind("$", in);
  return evaluate(tree, in, root_);
}

bool Evaluator::truthy(const Value& v) { return truthy_at(v, 0); }

bool Evaluator::truthy_at(const Value& v, int depth) {
  check_nesting(depth);
  switch (v.kind()) {
    case Kind::undefined:
    case Kind::null:
    case Kind::function: return false;
    case Kind::boolean: return v.as_boolean();
    case Kind::number: return v.as_number() != 0;
    case Kind::string: return !v.as_string().empty();
    case Kind::object: return v.member_count() > 0;
    case Kind::array:
      if (v.size() == 1) return truthy_at(v.at(0), depth + 1);
      for (std::size_t i = 0, n = v.size(); i < n; ++i)
        if (truthy_at(v.at(i), depth + 1)) return true;
      return false;
  }
  return false;
}

Value Evaluator::lookup(std::string_view name, const FramePtr& env) {
  if (const Value* v = env->find(name)) return *v;
  if (bindings_) {
    if (const json::value* j = bindings_->find(name)) return Value::borrow(*j);
    if (const auto* members = bindings_->find_reference_object(name)) {
      auto object = make_object();
      for (const auto& [key, value] : *members) object->set(std::string(key), Value::borrow(*value));
      return Value::object(std::move(object));
    }
    if (const NativeFunction* f = bindings_->find_function(name)) {
      boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
      fn->kind = FunctionNode::Kind::native;
      fn->native = f;
      return Value::function(std::move(fn));
    }
  }
  if (bindings_ && bindings_->hides_builtin(name)) return {};
  if (const NativeFunction* f = find_builtin(name)) {
    boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
    fn->kind = FunctionNode::Kind::native;
    fn->native = f;
    return Value::function(std::move(fn));
  }
  return {};
}

Value Evaluator::evaluate(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  DepthGuard guard(*this, node.position);
  Value result;
  switch (node.type) {
    case NodeType::path: result = evaluate_path(node, input, env); break;
    case NodeType::name: result = evaluate_name(node, input); break;
    case NodeType::string:
    case NodeType::value: result = Value::borrow(node.literal); break;
    case NodeType::number: result = Value::number(node.number); break;
    case NodeType::variable: result = evaluate_variable(node, input, env); break;
    case NodeType::wildcard: result = evaluate_wildcard(input); break;
    case NodeType::descendant: result = evaluate_descendants(input); break;
    case NodeType::parent: result = evaluate_parent(node, env); break;
    case NodeType::regex: {
      boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
      fn->kind = FunctionNode::Kind::regex;
      fn->syntax = &node;
      result = Value::function(std::move(fn));
      break;
    }
    case NodeType::binary: result = evaluate_binary(node, input, env); break;
    case NodeType::negation: {
      Value v = evaluate(*node.lhs, input, env);
      if (v.is_undefined()) break;
      if (!v.is_number()) raise("D1002", "Cannot negate a non-numeric value", node.position);
      result = Value::number(-v.as_number());
      break;
    }
    case NodeType::array: result = evaluate_array(node, input, env); break;
    case NodeType::object: result = evaluate_group(*node.group, input, env); break;
    case NodeType::condition: {
      if (truthy(evaluate(*node.lhs, input, env))) result = evaluate(*node.then, input, env);
      else if (node.otherwise) result = evaluate(*node.otherwise, input, env);
      break;
    }
    case NodeType::block: result = evaluate_block(node, input, env); break;
    case NodeType::bind: {
      result = evaluate(*node.rhs, input, env);
      env->bind(node.lhs->text, result);
      break;
    }
    case NodeType::call: result = evaluate_call(node, input, env, nullptr); break;
    case NodeType::partial: result = evaluate_partial(node, input, env, nullptr); break;
    case NodeType::placeholder: raise("S0201", "Syntax error: ?", node.position);
    case NodeType::lambda: {
      boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
      fn->kind = FunctionNode::Kind::lambda;
      fn->syntax = &node;
      fn->environment = env;
      fn->input = input;
      result = Value::function(std::move(fn));
      break;
    }
    case NodeType::apply: result = evaluate_apply(node, input, env); break;
    case NodeType::sort: result = evaluate_sort(node, input, env); break;
    case NodeType::transform: result = evaluate_transform(node, env); break;
  }
  for (const auto& predicate : node.predicates) result = evaluate_filter(*predicate, result, env);
  if (node.type != NodeType::path && node.type != NodeType::object && node.group)
    result = evaluate_group(*node.group, result, env);
  if (ArrayNode* a = result.array_node(); a && a->sequence && !a->tuple_stream) {
    if (node.keep_array) a->keep_singleton = true;
    if (a->items.empty()) return {};
    if (a->items.size() == 1 && !a->keep_singleton) return Value(a->items[0]);
  }
  return result;
}

Value Evaluator::evaluate_variable(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  if (node.text.empty()) return input.is_outer_wrapper() && input.size() > 0 ? input.at(0) : input;
  return lookup(node.text, env);
}

Value Evaluator::evaluate_block(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  FramePtr frame = make_frame(env);
  Value result;
  for (const auto& item : node.items) result = evaluate(*item, input, frame);
  return result;
}

Value Evaluator::evaluate_array(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  if (node.items.size() == 1 && node.items[0]->type != NodeType::array) {
    // [a..b] and [path]: a sequence nobody else holds becomes the array itself, uncopied.
    Value v = evaluate(*node.items[0], input, env);
    if (ArrayNode* a = v.array_node(); a && a->sequence && a->references == 1 && !a->tuple_stream) {
      a->sequence = false;
      a->keep_singleton = false;
      a->outer_wrapper = false;
      a->cons = node.cons_array;
      return v;
    }
    auto out = make_array();
    if (v.is_array()) {
      out->items.reserve(v.size());
      for (std::size_t i = 0, n = v.size(); i < n; ++i) out->items.push_back(v.at(i));
    } else if (v.is_defined()) {
      out->items.push_back(std::move(v));
    }
    out->cons = node.cons_array;
    return Value::array(std::move(out));
  }
  auto out = make_array();
  for (const auto& item : node.items) {
    Value v = evaluate(*item, input, env);
    if (v.is_undefined()) continue;
    if (item->type == NodeType::array || !v.is_array()) {
      out->items.push_back(std::move(v));
    } else {
      for (std::size_t i = 0, n = v.size(); i < n; ++i) out->items.push_back(v.at(i));
    }
  }
  out->cons = node.cons_array;
  return Value::array(std::move(out));
}

namespace {

bool is_integer(double d) { return std::isfinite(d) && std::trunc(d) == d; }

Value compare_order(BinaryOp op, const Value& l, const Value& r, std::size_t position) {
  bool lc = l.is_undefined() || l.is_string() || l.is_number();
  bool rc = r.is_undefined() || r.is_string() || r.is_number();
  if (!lc || !rc)
    raise("T2010", "The expressions either side of operator must evaluate to numeric or string values", position);
  if (l.is_undefined() || r.is_undefined()) return {};
  if (l.kind() != r.kind()) raise("T2009", "The values either side of the operator must be of the same data type", position);
  int c;
  if (l.is_number()) c = l.as_number() < r.as_number() ? -1 : (l.as_number() > r.as_number() ? 1 : 0);
  else c = l.as_string().compare(r.as_string()) < 0 ? -1 : (l.as_string() == r.as_string() ? 0 : 1);
  switch (op) {
    case BinaryOp::less: return Value::boolean(c < 0);
    case BinaryOp::less_equal: return Value::boolean(c <= 0);
    case BinaryOp::greater: return Value::boolean(c > 0);
    default: return Value::boolean(c >= 0);
  }
}

}  // namespace

Value Evaluator::evaluate_binary(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  switch (node.op) {
    case BinaryOp::and_: {
      if (!truthy(evaluate(*node.lhs, input, env))) return Value::boolean(false);
      return Value::boolean(truthy(evaluate(*node.rhs, input, env)));
    }
    case BinaryOp::or_: {
      if (truthy(evaluate(*node.lhs, input, env))) return Value::boolean(true);
      return Value::boolean(truthy(evaluate(*node.rhs, input, env)));
    }
    case BinaryOp::coalesce: {
      Value l = evaluate(*node.lhs, input, env);
      return l.is_defined() ? l : evaluate(*node.rhs, input, env);
    }
    case BinaryOp::default_: {
      Value l = evaluate(*node.lhs, input, env);
      return truthy(l) ? l : evaluate(*node.rhs, input, env);
    }
    default: break;
  }
  Value l = evaluate(*node.lhs, input, env);
  Value r = evaluate(*node.rhs, input, env);
  switch (node.op) {
    case BinaryOp::add:
    case BinaryOp::subtract:
    case BinaryOp::multiply:
    case BinaryOp::divide:
    case BinaryOp::modulo: {
      // JSONata names the operator: 'The left side of the "+" operator ...'.
      std::string_view symbol = node.op == BinaryOp::add        ? "+"
                                : node.op == BinaryOp::subtract ? "-"
                                : node.op == BinaryOp::multiply ? "*"
                                : node.op == BinaryOp::divide   ? "/"
                                                                : "%";
      if (l.is_defined() && !l.is_number())
        raise("T2001", fmt::format("The left side of the \"{}\" operator must evaluate to a number", symbol),
              node.position);
      if (r.is_defined() && !r.is_number())
        raise("T2002", fmt::format("The right side of the \"{}\" operator must evaluate to a number", symbol),
              node.position);
      if (l.is_undefined() || r.is_undefined()) return {};
      double a = l.as_number(), b = r.as_number(), v = 0;
      switch (node.op) {
        case BinaryOp::add: v = a + b; break;
        case BinaryOp::subtract: v = a - b; break;
        case BinaryOp::multiply: v = a * b; break;
        case BinaryOp::divide: v = a / b; break;
        default: v = std::fmod(a, b); break;
      }
      if (!std::isfinite(v) && node.op != BinaryOp::divide) raise("D1001", fmt::format("Number out of range: {}", v), node.position);
      return Value::number(v);
    }
    case BinaryOp::equal:
      if (l.is_undefined() || r.is_undefined()) return Value::boolean(false);
      return Value::boolean(deep_equal(l, r));
    case BinaryOp::not_equal:
      if (l.is_undefined() || r.is_undefined()) return Value::boolean(false);
      return Value::boolean(!deep_equal(l, r));
    case BinaryOp::less:
    case BinaryOp::less_equal:
    case BinaryOp::greater:
    case BinaryOp::greater_equal: return compare_order(node.op, l, r, node.position);
    case BinaryOp::concat: {
      std::string s = l.is_undefined() ? std::string() : to_text(l);
      if (r.is_defined()) s += to_text(r);
      return Value::string(std::move(s));
    }
    case BinaryOp::in: {
      if (l.is_undefined() || r.is_undefined()) return Value::boolean(false);
      if (!r.is_array()) return Value::boolean(deep_equal(l, r));
      for (std::size_t i = 0, n = r.size(); i < n; ++i)
        if (deep_equal(l, r.at(i))) return Value::boolean(true);
      return Value::boolean(false);
    }
    case BinaryOp::range: {
      if (l.is_defined() && (!l.is_number() || !is_integer(l.as_number())))
        raise("T2003", "The left side of the range operator (..) must evaluate to an integer", node.position);
      if (r.is_defined() && (!r.is_number() || !is_integer(r.as_number())))
        raise("T2004", "The right side of the range operator (..) must evaluate to an integer", node.position);
      if (l.is_undefined() || r.is_undefined()) return {};
      double a = l.as_number(), b = r.as_number();
      if (a > b) return {};
      if (b - a + 1 > 1e7)
        raise("D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7", node.position);
      auto seq = make_sequence();
      seq->items.reserve(static_cast<std::size_t>(b - a + 1));
      for (double x = a; x <= b; ++x) seq->items.push_back(Value::number(x));
      return Value::array(std::move(seq));
    }
    default: break;
  }
  return {};
}

Value append_values(Value a, Value b) {
  if (a.is_undefined()) return b;
  if (b.is_undefined()) return a;
  // JavaScript's concat: the result is a plain array, whatever flags the operands had.
  auto out = make_array();
  if (a.is_array()) {
    for (std::size_t i = 0, n = a.size(); i < n; ++i) out->items.push_back(a.at(i));
  } else {
    out->items.push_back(a);
  }
  if (b.is_array()) {
    for (std::size_t i = 0, n = b.size(); i < n; ++i) out->items.push_back(b.at(i));
  } else {
    out->items.push_back(b);
  }
  return Value::array(std::move(out));
}

boost::intrusive_ptr<ArrayNode> copy_array(const Value& array) {
  auto out = make_array();
  if (const ArrayNode* from = array.array_node()) {
    *out = *from;
    return out;
  }
  out->items.reserve(array.size());
  for (std::size_t i = 0, n = array.size(); i < n; ++i) out->items.push_back(array.at(i));
  return out;
}

}  // namespace flowstate::jsonata
