// FunctionNode: a JSONata function value — a lambda closure, a native function, a partial
// application, a regex matcher or a transform — and Frame, the variable scope closures keep.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/jsonata/signature.hpp"
#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

struct SyntaxNode;
class Evaluator;

/// A variable scope: a block, a lambda call, a tuple step. Closures keep theirs alive.
struct Frame : BuiltNode {
  boost::intrusive_ptr<Frame> parent;
  std::vector<std::pair<std::string, Value>> variables;

  void bind(std::string_view name, Value value) {
    for (auto& [k, v] : variables)
      if (k == name) { v = std::move(value); return; }
    variables.emplace_back(std::string(name), std::move(value));
  }
  /// The binding in this frame or an enclosing one, or nullptr.
  const Value* find(std::string_view name) const {
    for (const Frame* f = this; f; f = f->parent.get())
      for (const auto& [k, v] : f->variables)
        if (k == name) return &v;
    return nullptr;
  }
};
using FramePtr = boost::intrusive_ptr<Frame>;

inline FramePtr make_frame(FramePtr parent) {
  FramePtr f(new Frame);
  f->parent = std::move(parent);
  return f;
}

/// What a native function receives: its validated arguments, the context value, and the
/// evaluator (to call function arguments back).
struct NativeCall {
  Evaluator& evaluator;
  std::vector<Value>& args;
  const Value& context;
  std::size_t position;

  const Value& arg(std::size_t i) const {
    static const Value kUndefined;
    return i < args.size() ? args[i] : kUndefined;
  }
};

struct NativeFunction {
  std::string name;  ///< without '$'
  Signature signature;
  std::function<Value(NativeCall&)> implementation;
};

struct FunctionNode : BuiltNode {
  enum class Kind { lambda, native, partial, regex, transform, composition };
  Kind kind = Kind::lambda;
  const SyntaxNode* syntax = nullptr;  ///< lambda, regex, transform
  FramePtr environment;                ///< lambda, transform
  Value input;                         ///< lambda: the context it was defined in
  const NativeFunction* native = nullptr;
  Value target;                              ///< partial: the function applied; composition: the first
  std::vector<std::optional<Value>> bound;   ///< partial: arguments, nullopt for each ?; composition: the second

  /// How many arguments the function declares (higher-order functions pass no more).
  std::size_t arity() const;
};

}  // namespace flowstate::jsonata
