// The function half of the Evaluator: calls, partial application, ~> chaining, lambdas with
// their tail-call trampoline, and the transform operator.
#include <fmt/format.h>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/regex_matcher.hpp"

namespace flowstate::jsonata {

std::size_t FunctionNode::arity() const {
  switch (kind) {
    case Kind::lambda: return syntax->params.size();
    case Kind::native: {
      // A native function takes what it needs: the parameters up to its first optional one.
      std::size_t n = 0;
      for (const auto& p : native->signature.params()) {
        if (p.quantifier == '?') break;
        ++n;
      }
      return n;
    }
    case Kind::partial: {
      std::size_t n = 0;
      for (const auto& b : bound) n += b ? 0 : 1;
      return n;
    }
    default: return 1;
  }
}

namespace {

std::string_view procedure_name(const SyntaxNode& procedure) {
  if (procedure.type == NodeType::path && !procedure.items.empty() && procedure.items[0]->type == NodeType::name)
    return procedure.items[0]->text;
  return {};
}

}  // namespace

Value Evaluator::evaluate_call(const SyntaxNode& node, const Value& input, const FramePtr& env, const Value* first_arg) {
  Value proc = evaluate(*node.procedure, input, env);
  if (proc.is_undefined()) {
    auto name = procedure_name(*node.procedure);
    if (!name.empty() && lookup(name, env).is_defined())
      raise("T1005", fmt::format("Attempted to invoke a non-function. Did you mean ${}?", name), node.position);
  }
  std::vector<Value> args;
  args.reserve(node.items.size() + 1);
  if (first_arg) args.push_back(*first_arg);
  for (const auto& item : node.items) args.push_back(evaluate(*item, input, env));
  return apply(proc, std::move(args), input, node.position);
}

Value Evaluator::evaluate_partial(const SyntaxNode& node, const Value& input, const FramePtr& env,
                                  const Value* first_arg) {
  Value proc = evaluate(*node.procedure, input, env);
  if (!proc.is_function()) {
    auto name = procedure_name(*node.procedure);
    if (proc.is_undefined() && !name.empty() && lookup(name, env).is_defined())
      raise("T1007", fmt::format("Attempted to partially apply a non-function. Did you mean ${}?", name),
            node.position);
    raise("T1008", "Attempted to partially apply a non-function", node.position);
  }
  boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
  fn->kind = FunctionNode::Kind::partial;
  fn->target = proc;
  if (first_arg) fn->bound.emplace_back(*first_arg);
  for (const auto& item : node.items) {
    if (item->type == NodeType::placeholder) fn->bound.emplace_back(std::nullopt);
    else fn->bound.emplace_back(evaluate(*item, input, env));
  }
  return Value::function(std::move(fn));
}

Value Evaluator::evaluate_apply(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  Value lhs = evaluate(*node.lhs, input, env);
  const SyntaxNode& rhs = *node.rhs;
  if (rhs.type == NodeType::call && rhs.predicates.empty() && !rhs.group) {
    Value result = evaluate_call(rhs, input, env, &lhs);
    if (ArrayNode* a = result.array_node(); a && a->sequence && rhs.keep_array) a->keep_singleton = true;
    return result;
  }
  Value func = evaluate(rhs, input, env);
  if (!func.is_function())
    raise("T2006", "The right side of the function application operator ~> must be a function", node.position);
  if (lhs.is_function()) {
    boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
    fn->kind = FunctionNode::Kind::composition;
    fn->target = lhs;
    fn->bound.emplace_back(func);
    return Value::function(std::move(fn));
  }
  return apply(func, {lhs}, input, node.position);
}

Value Evaluator::apply(const Value& function, std::vector<Value> args, const Value& context, std::size_t position) {
  Value result = apply_once(function, std::move(args), context, position);
  while (result.is_function()) {
    const FunctionNode* thunk = result.function_node();
    if (thunk->kind != FunctionNode::Kind::lambda || !thunk->syntax->thunk) break;
    const SyntaxNode& call = *thunk->syntax->body;
    Value next = evaluate(*call.procedure, thunk->input, thunk->environment);
    std::vector<Value> next_args;
    next_args.reserve(call.items.size());
    for (const auto& item : call.items) next_args.push_back(evaluate(*item, thunk->input, thunk->environment));
    result = apply_once(next, std::move(next_args), context, call.position);
  }
  return result;
}

Value Evaluator::apply_once(const Value& function, std::vector<Value> args, const Value& context, std::size_t position) {
  if (!function.is_function()) raise("T1006", "Attempted to invoke a non-function", position);
  const FunctionNode& f = *function.function_node();
  switch (f.kind) {
    case FunctionNode::Kind::lambda:
      if (f.syntax->signature) args = f.syntax->signature->validate(args, context, "function", position);
      return apply_lambda(f, std::move(args));
    case FunctionNode::Kind::native: {
      std::vector<Value> validated = f.native->signature.validate(args, context, "$" + f.native->name, position);
      NativeCall call{*this, validated, context, position};
      return f.native->implementation(call);
    }
    case FunctionNode::Kind::partial: {
      std::vector<Value> merged;
      std::size_t next = 0;
      for (const auto& b : f.bound) {
        if (b) merged.push_back(*b);
        else merged.push_back(next < args.size() ? args[next++] : Value());
      }
      return apply(f.target, std::move(merged), context, position);
    }
    case FunctionNode::Kind::composition: {
      Value first = apply(f.target, std::move(args), context, position);
      return apply(*f.bound[0], {first}, context, position);
    }
    case FunctionNode::Kind::regex: return regex_match_value(*f.syntax, args.empty() ? Value() : args[0], 0);
    case FunctionNode::Kind::transform: {
      const Value& object = args.empty() ? Value() : args[0];
      if (object.is_undefined()) return {};
      if (!object.is_object() && !object.is_array())
        raise("T0410", "Argument 1 of function transform does not match function signature", position);
      return run_transform(f, object);
    }
  }
  return {};
}

Value Evaluator::apply_lambda(const FunctionNode& lambda, std::vector<Value> args) {
  FramePtr frame = make_frame(lambda.environment);
  const auto& params = lambda.syntax->params;
  for (std::size_t i = 0; i < params.size(); ++i) frame->bind(params[i], i < args.size() ? args[i] : Value());
  return evaluate(*lambda.syntax->body, lambda.input, frame);
}

Value Evaluator::evaluate_transform(const SyntaxNode& node, const FramePtr& env) {
  boost::intrusive_ptr<FunctionNode> fn(new FunctionNode);
  fn->kind = FunctionNode::Kind::transform;
  fn->syntax = &node;
  fn->environment = env;
  return Value::function(std::move(fn));
}

Value Evaluator::run_transform(const FunctionNode& transform, const Value& object) {
  const SyntaxNode& node = *transform.syntax;
  Value result = deep_copy(object);
  Value matches = evaluate(*node.lhs, result, transform.environment);
  if (matches.is_undefined()) return result;
  std::vector<Value> list;
  if (matches.is_array()) {
    for (std::size_t i = 0, n = matches.size(); i < n; ++i) list.push_back(matches.at(i));
  } else {
    list.push_back(matches);
  }
  for (const Value& match : list) {
    Value update = evaluate(*node.rhs, match, transform.environment);
    if (update.is_defined()) {
      if (!update.is_object())
        raise("T2011", "The insert/update clause of the transform expression must evaluate to an object",
              node.rhs->position);
      if (ObjectNode* target = match.object_node())
        update.for_each_member([&](std::string_view key, const Value& v) { target->set(std::string(key), v); });
    }
    if (node.otherwise) {
      Value deletions = evaluate(*node.otherwise, match, transform.environment);
      if (deletions.is_undefined()) continue;
      std::vector<Value> names;
      if (deletions.is_array()) {
        for (std::size_t i = 0, n = deletions.size(); i < n; ++i) names.push_back(deletions.at(i));
      } else {
        names.push_back(deletions);
      }
      for (const Value& name : names)
        if (!name.is_string())
          raise("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings",
                node.otherwise->position);
      if (ObjectNode* target = match.object_node())
        for (const Value& name : names) target->erase(name.as_string());
    }
  }
  return result;
}

}  // namespace flowstate::jsonata
