// Array and higher-order functions: $count, $append, $reverse, $shuffle, $distinct, $sort,
// $zip, $map, $filter, $single, $reduce.
#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/function_library.hpp"

namespace flowstate::jsonata {
namespace {

std::vector<Value> items_of(const Value& a) {
  std::vector<Value> out;
  if (a.is_undefined()) return out;
  if (!a.is_array()) {
    out.push_back(a);
    return out;
  }
  out.reserve(a.size());
  for (std::size_t i = 0, n = a.size(); i < n; ++i) out.push_back(a.at(i));
  return out;
}

Value array_of(std::vector<Value> items, bool sequence) {
  auto out = sequence ? make_sequence() : make_array();
  out->items = std::move(items);
  return Value::array(std::move(out));
}

Value sort(NativeCall& c) {
  const Value& a = c.arg(0);
  if (a.is_undefined()) return {};
  if (a.size() <= 1) return a;
  std::vector<Value> items = items_of(a);
  if (c.arg(1).is_defined()) {
    // The comparator says whether its first argument goes after its second: a stable
    // merge sort asks it exactly that.
    Value fn = c.arg(1);
    std::vector<Value> buffer(items.size());
    auto merge_sort = [&](auto& self, std::size_t lo, std::size_t hi) -> void {
      if (hi - lo < 2) return;
      std::size_t mid = (lo + hi) / 2;
      self(self, lo, mid);
      self(self, mid, hi);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        bool swap = Evaluator::truthy(c.evaluator.apply(fn, {items[i], items[j]}, c.context, c.position));
        buffer[k++] = swap ? items[j++] : items[i++];
      }
      while (i < mid) buffer[k++] = items[i++];
      while (j < hi) buffer[k++] = items[j++];
      std::copy(buffer.begin() + static_cast<std::ptrdiff_t>(lo), buffer.begin() + static_cast<std::ptrdiff_t>(hi),
                items.begin() + static_cast<std::ptrdiff_t>(lo));
    };
    merge_sort(merge_sort, 0, items.size());
    return array_of(std::move(items), false);
  }
  bool numbers = std::all_of(items.begin(), items.end(), [](const Value& v) { return v.is_number(); });
  bool strings = std::all_of(items.begin(), items.end(), [](const Value& v) { return v.is_string(); });
  if (!numbers && !strings)
    raise("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
          c.position);
  std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
    return numbers ? x.as_number() < y.as_number() : x.as_string() < y.as_string();
  });
  return array_of(std::move(items), false);
}

}  // namespace

void add_array_functions(NativeTable& t) {
  add(t, "count", "<a:n>", [](NativeCall& c) {
    return Value::number(c.arg(0).is_undefined() ? 0 : static_cast<double>(c.arg(0).size()));
  });
  add(t, "append", "<xx:a>", [](NativeCall& c) { return append_values(c.arg(0), c.arg(1)); });
  add(t, "reverse", "<a:a>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto items = items_of(c.arg(0));
    std::reverse(items.begin(), items.end());
    return array_of(std::move(items), false);
  });
  add(t, "shuffle", "<a:a>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto items = items_of(c.arg(0));
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::shuffle(items.begin(), items.end(), engine);
    return array_of(std::move(items), false);
  });
  add(t, "distinct", "<x:x>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (!a.is_array() || a.size() <= 1) return a;
    std::vector<Value> out;
    for (std::size_t i = 0, n = a.size(); i < n; ++i) {
      Value v = a.at(i);
      if (std::none_of(out.begin(), out.end(), [&](const Value& seen) { return deep_equal(seen, v); }))
        out.push_back(std::move(v));
    }
    return array_of(std::move(out), true);
  });
  add(t, "sort", "<af?:a>", sort);
  add(t, "zip", "<a+>", [](NativeCall& c) -> Value {
    std::size_t n = c.args.empty() ? 0 : SIZE_MAX;
    for (const auto& a : c.args) n = std::min(n, a.is_undefined() ? 0 : a.size());
    auto out = make_array();
    for (std::size_t i = 0; i < n; ++i) {
      auto tuple = make_array();
      for (const auto& a : c.args) tuple->items.push_back(a.at(i));
      out->items.push_back(Value::array(std::move(tuple)));
    }
    return Value::array(std::move(out));
  });
  add(t, "map", "<af>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    auto out = make_sequence();
    for (std::size_t i = 0, n = a.size(); i < n; ++i) {
      Value r = call_with_arity(c, c.arg(1), {a.at(i), Value::number(static_cast<double>(i)), a});
      if (r.is_defined()) out->items.push_back(std::move(r));
    }
    return Value::array(std::move(out));
  });
  add(t, "filter", "<af>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    auto out = make_sequence();
    for (std::size_t i = 0, n = a.size(); i < n; ++i) {
      Value item = a.at(i);
      if (Evaluator::truthy(call_with_arity(c, c.arg(1), {item, Value::number(static_cast<double>(i)), a})))
        out->items.push_back(std::move(item));
    }
    return Value::array(std::move(out));
  });
  add(t, "single", "<af?>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    bool found = false;
    Value result;
    for (std::size_t i = 0, n = a.size(); i < n; ++i) {
      Value item = a.at(i);
      bool pass = c.arg(1).is_undefined() ||
                  Evaluator::truthy(call_with_arity(c, c.arg(1), {item, Value::number(static_cast<double>(i)), a}));
      if (!pass) continue;
      if (found)
        raise("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.", c.position);
      found = true;
      result = item;
    }
    if (!found)
      raise("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.", c.position);
    return result;
  });
  add(t, "reduce", "<afj?:j>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    const Value& fn = c.arg(1);
    if (!fn.is_function()) raise("T1006", "Attempted to invoke a non-function", c.position);
    if (fn.function_node()->arity() < 2)
      raise("D3050", "The second argument of reduce function must be a function with at least two arguments", c.position);
    std::size_t i = 0;
    Value acc = c.arg(2);
    if (acc.is_undefined() && a.size() > 0) acc = a.at(i++);
    for (std::size_t n = a.size(); i < n; ++i)
      acc = call_with_arity(c, fn, {acc, a.at(i), Value::number(static_cast<double>(i)), a});
    return acc;
  });
}

}  // namespace flowstate::jsonata
