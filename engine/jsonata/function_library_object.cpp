// Object and value functions: $keys, $lookup, $spread, $merge, $each, $sift, $clone, $type,
// $exists, $boolean, $not, $error, $assert, $eval.
#include <fmt/format.h>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/function_library.hpp"
#include "engine/jsonata/parser.hpp"

namespace flowstate::jsonata {
namespace {

Value lookup_key(const Value& input, std::string_view key, int depth = 0) {
  check_nesting(depth);
  if (input.is_array()) {
    auto out = make_sequence();
    for (std::size_t i = 0, n = input.size(); i < n; ++i) {
      Value r = lookup_key(input.at(i), key, depth + 1);
      if (r.is_undefined()) continue;
      if (r.is_array())
        for (std::size_t k = 0, m = r.size(); k < m; ++k) out->items.push_back(r.at(k));
      else out->items.push_back(std::move(r));
    }
    return Value::array(std::move(out));
  }
  return input.member(key);
}

void spread_into(const Value& v, std::vector<Value>& out, int depth = 0) {
  check_nesting(depth);
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) spread_into(v.at(i), out, depth + 1);
  } else if (v.is_object()) {
    v.for_each_member([&](std::string_view key, const Value& member) {
      auto single = make_object();
      single->set(std::string(key), member);
      out.push_back(Value::object(std::move(single)));
    });
  } else {
    out.push_back(v);
  }
}

Value eval(NativeCall& c) {
  if (c.arg(0).is_undefined()) return {};
  SyntaxPtr tree;
  try {
    tree = parse(c.arg(0).as_string());
  } catch (const RaisedError& e) {
    raise("D3120", "Syntax error in expression passed to function eval: " + e.error().message, c.position);
  }
  const SyntaxNode& kept = c.evaluator.keep(std::move(tree));
  Value input = c.args.size() > 1 && c.arg(1).is_defined() ? c.arg(1) : c.context;
  if (input.is_array() && !input.is_sequence()) {
    auto wrapper = make_sequence();
    wrapper->items.push_back(input);
    wrapper->outer_wrapper = true;
    input = Value::array(std::move(wrapper));
  }
  try {
    return c.evaluator.evaluate(kept, input, c.evaluator.root_frame());
  } catch (const RaisedError& e) {
    raise("D3121", "Dynamic error evaluating the expression passed to function eval: " + e.error().message, c.position);
  }
}

}  // namespace

void add_object_functions(NativeTable& t) {
  add(t, "keys", "<x-:a<s>>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    auto out = make_sequence();
    auto add_keys = [&](const Value& o) {
      o.for_each_member([&](std::string_view key, const Value&) {
        for (const auto& seen : out->items)
          if (seen.as_string() == key) return;
        out->items.push_back(Value::string(std::string(key)));
      });
    };
    if (a.is_array()) {
      for (std::size_t i = 0, n = a.size(); i < n; ++i) add_keys(a.at(i));
    } else {
      add_keys(a);
    }
    return Value::array(std::move(out));
  });
  add(t, "lookup", "<x-s:x>", [](NativeCall& c) { return lookup_key(c.arg(0), c.arg(1).as_string()); });
  add(t, "spread", "<x-:a<o>>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    if (!a.is_array() && !a.is_object()) return a;
    auto out = make_sequence();
    spread_into(a, out->items);
    return Value::array(std::move(out));
  });
  add(t, "merge", "<a<o>:o>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    auto out = make_object();
    for (std::size_t i = 0, n = a.size(); i < n; ++i)
      a.at(i).for_each_member([&](std::string_view key, const Value& v) { out->set(std::string(key), v); });
    return Value::object(std::move(out));
  });
  add(t, "each", "<o-f:a>", [](NativeCall& c) -> Value {
    const Value& o = c.arg(0);
    if (o.is_undefined()) return {};
    auto out = make_sequence();
    o.for_each_member([&](std::string_view key, const Value& v) {
      Value r = call_with_arity(c, c.arg(1), {v, Value::string(std::string(key)), o});
      if (r.is_defined()) out->items.push_back(std::move(r));
    });
    return Value::array(std::move(out));
  });
  add(t, "sift", "<o-f?:o>", [](NativeCall& c) -> Value {
    const Value& o = c.arg(0);
    if (o.is_undefined()) return {};
    auto out = make_object();
    o.for_each_member([&](std::string_view key, const Value& v) {
      if (Evaluator::truthy(call_with_arity(c, c.arg(1), {v, Value::string(std::string(key)), o})))
        out->set(std::string(key), v);
    });
    if (out->members.empty()) return {};
    return Value::object(std::move(out));
  });
  add(t, "clone", "<(oa)-:o>", [](NativeCall& c) -> Value { return deep_copy(c.arg(0)); });
  add(t, "type", "<x:s>", [](NativeCall& c) -> Value {
    static const char* const kNames[] = {"undefined", "null", "boolean", "number", "string", "array", "object", "function"};
    if (c.arg(0).is_undefined()) return {};
    return Value::string(kNames[static_cast<int>(c.arg(0).kind())]);
  });
  add(t, "exists", "<x:b>", [](NativeCall& c) { return Value::boolean(c.arg(0).is_defined()); });
  add(t, "boolean", "<x-:b>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::boolean(Evaluator::truthy(c.arg(0)));
  });
  add(t, "not", "<x-:b>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::boolean(!Evaluator::truthy(c.arg(0)));
  });
  add(t, "error", "<s?:x>", [](NativeCall& c) -> Value {
    raise("D3137", c.arg(0).is_undefined() ? "$error() function evaluated" : std::string(c.arg(0).as_string()),
          c.position);
  });
  add(t, "assert", "<bs?:x>", [](NativeCall& c) -> Value {
    if (!c.arg(0).as_boolean())
      raise("D3141", c.arg(1).is_undefined() ? "$assert() statement failed" : std::string(c.arg(1).as_string()),
            c.position);
    return {};
  });
  add(t, "eval", "<sx?:x>", eval);
}

}  // namespace flowstate::jsonata
