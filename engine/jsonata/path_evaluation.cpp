// The path half of the Evaluator: steps over sequences, predicates, tuple streams (@, #, %),
// grouping, sorting, names, wildcards and descendants.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"

namespace flowstate::jsonata {

namespace {

Value sequence_with(Value item) {
  auto seq = make_sequence();
  seq->items.push_back(std::move(item));
  return Value::array(std::move(seq));
}

void flatten_into(const Value& v, std::vector<Value>& out, int depth = 0) {
  check_nesting(depth);
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) flatten_into(v.at(i), out, depth + 1);
  } else {
    out.push_back(v);
  }
}

}  // namespace

Value Evaluator::evaluate_path(const SyntaxNode& node, const Value& input, const FramePtr& env) {
  // The commonest path, a bare field name (`price` in a predicate) on one object, needs no
  // sequences: it is the member itself.
  if (node.items.size() == 1 && !input.is_array() && !node.group && !node.keep_singleton_array && !node.tuple) {
    const SyntaxNode& step = *node.items[0];
    if (step.type == NodeType::name && step.stages.empty() && !step.tuple && step.predicates.empty() && !step.group &&
        !step.keep_array)
      return input.member(step.text);
  }
  Value input_sequence =
      input.is_array() && node.items[0]->type != NodeType::variable ? input : sequence_with(input);
  Value result;
  Value tuples;
  bool tuple_mode = false;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SyntaxNode& step = *node.items[i];
    if (step.tuple) tuple_mode = true;
    if (i == 0 && step.cons_array) {
      result = evaluate(step, input_sequence, env);
    } else if (tuple_mode) {
      tuples = evaluate_tuple_step(step, input_sequence, tuples, env);
    } else {
      result = evaluate_step(step, input_sequence, env, i + 1 == node.items.size());
    }
    if (!tuple_mode && (result.is_undefined() || (result.is_array() && result.size() == 0))) break;
    if (step.focus.empty()) input_sequence = result;
  }
  if (tuple_mode) {
    if (node.tuple) {
      result = tuples;
    } else {
      auto seq = make_sequence();
      for (std::size_t i = 0, n = tuples.size(); i < n; ++i) seq->items.push_back(tuples.at(i).member("@"));
      result = Value::array(std::move(seq));
    }
  }
  if (node.keep_singleton_array && result.is_array()) {
    if (result.is_cons() && !result.is_sequence()) result = sequence_with(result);
    if (ArrayNode* a = result.array_node()) {
      a->keep_singleton = true;
    } else {
      auto copy = copy_array(result);
      copy->keep_singleton = true;
      result = Value::array(std::move(copy));
    }
  }
  if (node.group) result = evaluate_group(*node.group, tuple_mode ? tuples : result, env);
  return result;
}

Value Evaluator::evaluate_step(const SyntaxNode& step, const Value& input, const FramePtr& env, bool last_step) {
  if (step.type == NodeType::sort) {
    Value sorted = evaluate_sort(step, input, env);
    return step.stages.empty() ? sorted : evaluate_stages(step.stages, sorted, env);
  }
  std::vector<Value> collected;
  collected.reserve(input.size());
  for (std::size_t i = 0, n = input.size(); i < n; ++i) {
    Value res = evaluate(step, input.at(i), env);
    for (const auto& stage : step.stages)
      if (stage.kind == Stage::Kind::filter) res = evaluate_filter(*stage.expr, res, env);
    if (res.is_defined()) collected.push_back(std::move(res));
  }
  if (last_step && collected.size() == 1 && collected[0].is_array() && !collected[0].is_sequence())
    return collected[0];
  auto seq = make_sequence();
  std::size_t total = 0;
  for (const auto& res : collected) total += !res.is_array() || res.is_cons() ? 1 : res.size();
  seq->items.reserve(total);
  for (auto& res : collected) {
    if (!res.is_array() || res.is_cons()) {
      seq->items.push_back(std::move(res));
    } else {
      for (std::size_t i = 0, n = res.size(); i < n; ++i) seq->items.push_back(res.at(i));
    }
  }
  return Value::array(std::move(seq));
}

FramePtr Evaluator::frame_from_tuple(const FramePtr& env, const Value& tuple) {
  FramePtr frame = make_frame(env);
  tuple.for_each_member([&](std::string_view key, const Value& v) { frame->bind(key, v); });
  return frame;
}

Value Evaluator::evaluate_tuple_step(const SyntaxNode& step, const Value& input, Value tuples, const FramePtr& env) {
  if (step.type == NodeType::sort) {
    Value result;
    if (tuples.is_defined()) {
      result = evaluate_sort(step, tuples, env);
    } else {
      Value sorted = evaluate_sort(step, input, env);
      auto seq = make_sequence();
      seq->tuple_stream = true;
      for (std::size_t i = 0, n = sorted.size(); i < n; ++i) {
        auto tuple = make_object();
        tuple->set("@", sorted.at(i));
        if (!step.index_variable.empty()) tuple->set(step.index_variable, Value::number(static_cast<double>(i)));
        seq->items.push_back(Value::object(std::move(tuple)));
      }
      result = Value::array(std::move(seq));
    }
    return step.stages.empty() ? result : evaluate_stages(step.stages, result, env);
  }
  if (tuples.is_undefined()) {
    auto seq = make_sequence();
    seq->tuple_stream = true;
    for (std::size_t i = 0, n = input.size(); i < n; ++i) {
      auto tuple = make_object();
      tuple->set("@", input.at(i));
      seq->items.push_back(Value::object(std::move(tuple)));
    }
    tuples = Value::array(std::move(seq));
  }
  auto result = make_sequence();
  result->tuple_stream = true;
  for (std::size_t e = 0, n = tuples.size(); e < n; ++e) {
    Value tuple = tuples.at(e);
    FramePtr step_env = frame_from_tuple(env, tuple);
    Value res = evaluate(step, tuple.member("@"), step_env);
    if (res.is_undefined()) continue;
    if (!res.is_array()) res = sequence_with(res);
    for (std::size_t b = 0, m = res.size(); b < m; ++b) {
      auto out = make_object();
      tuple.for_each_member([&](std::string_view key, const Value& v) { out->set(std::string(key), v); });
      if (res.is_tuple_stream()) {
        res.at(b).for_each_member([&](std::string_view key, const Value& v) { out->set(std::string(key), v); });
      } else {
        if (!step.focus.empty()) {
          out->set(step.focus, res.at(b));
          out->set("@", tuple.member("@"));
        } else {
          out->set("@", res.at(b));
        }
        if (!step.index_variable.empty()) out->set(step.index_variable, Value::number(static_cast<double>(b)));
        if (step.ancestor) out->set(step.ancestor->label, tuple.member("@"));
      }
      result->items.push_back(Value::object(std::move(out)));
    }
  }
  Value stream = Value::array(std::move(result));
  return step.stages.empty() ? stream : evaluate_stages(step.stages, stream, env);
}

Value Evaluator::evaluate_stages(const std::vector<Stage>& stages, Value input, const FramePtr& env) {
  for (const auto& stage : stages) {
    if (stage.kind == Stage::Kind::filter) {
      input = evaluate_filter(*stage.expr, input, env);
    } else {
      for (std::size_t i = 0, n = input.size(); i < n; ++i)
        if (ObjectNode* tuple = input.at(i).object_node()) tuple->set(stage.variable, Value::number(static_cast<double>(i)));
    }
  }
  return input;
}

Value Evaluator::evaluate_filter(const SyntaxNode& predicate, const Value& input, const FramePtr& env) {
  auto results = make_sequence();
  results->tuple_stream = input.is_tuple_stream();
  Value items = input.is_array() ? input : sequence_of(input);
  const auto size = static_cast<double>(items.size());
  if (predicate.type == NodeType::number) {
    double index = std::floor(predicate.number);
    if (index < 0) index += size;
    if (index >= 0 && index < size) {
      Value item = items.at(static_cast<std::size_t>(index));
      if (item.is_array()) return item;
      results->items.push_back(std::move(item));
    }
    return Value::array(std::move(results));
  }
  for (std::size_t i = 0, n = items.size(); i < n; ++i) {
    Value item = items.at(i);
    Value res;
    if (results->tuple_stream) res = evaluate(predicate, item.member("@"), frame_from_tuple(env, item));
    else res = evaluate(predicate, item, env);
    auto matches_index = [&](double d) {
      double k = std::floor(d);
      if (k < 0) k += size;
      return k == static_cast<double>(i);
    };
    if (res.is_number()) {
      if (matches_index(res.as_number())) results->items.push_back(item);
    } else if (res.is_array() && res.size() > 0 && [&] {
                 for (std::size_t k = 0, m = res.size(); k < m; ++k)
                   if (!res.at(k).is_number()) return false;
                 return true;
               }()) {
      for (std::size_t k = 0, m = res.size(); k < m; ++k)
        if (matches_index(res.at(k).as_number())) results->items.push_back(item);
    } else if (truthy(res)) {
      results->items.push_back(item);
    }
  }
  return Value::array(std::move(results));
}

namespace {

// Merges the tuples of a group into one: each binding becomes the sequence of its values.
Value reduce_tuples(const Value& tuples) {
  if (!tuples.is_array()) return tuples;
  auto out = make_object();
  if (tuples.size() == 0) return Value::object(std::move(out));
  tuples.at(0).for_each_member([&](std::string_view key, const Value& v) { out->set(std::string(key), v); });
  for (std::size_t i = 1, n = tuples.size(); i < n; ++i) {
    tuples.at(i).for_each_member([&](std::string_view key, const Value& v) {
      const Value* existing = out->find(key);
      out->set(std::string(key), append_values(existing ? *existing : Value(), v));
    });
  }
  return Value::object(std::move(out));
}

}  // namespace

Value Evaluator::evaluate_group(const GroupBy& group, const Value& input, const FramePtr& env) {
  bool reduce = input.is_tuple_stream();
  Value items = input.is_array() ? input : sequence_of(input);
  std::vector<Value> seeded;
  std::size_t count = items.size();
  if (count == 0) {
    seeded.emplace_back();
    count = 1;
  }
  struct Entry {
    Value data;
    std::size_t pair;
  };
  std::vector<std::pair<std::string, Entry>> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < count; ++i) {
    Value item = seeded.empty() ? items.at(i) : seeded[0];
    FramePtr item_env = reduce ? frame_from_tuple(env, item) : env;
    for (std::size_t p = 0; p < group.pairs.size(); ++p) {
      Value key = evaluate(*group.pairs[p].first, reduce ? item.member("@") : item, item_env);
      if (key.is_undefined()) continue;
      if (!key.is_string())
        raise("T1003", "Key in object structure must evaluate to a string; got a non-string value", group.position);
      std::string k(key.as_string());
      auto it = index.find(k);
      if (it == index.end()) {
        index.emplace(k, groups.size());
        groups.emplace_back(std::move(k), Entry{item, p});
      } else {
        Entry& entry = groups[it->second].second;
        if (entry.pair != p)
          raise("D1009", "Multiple key definitions evaluate to same key: " + k, group.position);
        entry.data = append_values(entry.data, item);
      }
    }
  }
  auto result = make_object();
  for (auto& [key, entry] : groups) {
    Value context = entry.data;
    FramePtr value_env = env;
    if (reduce) {
      Value tuple = reduce_tuples(entry.data);
      context = tuple.member("@");
      if (ObjectNode* t = tuple.object_node()) t->erase("@");
      value_env = frame_from_tuple(env, tuple);
    }
    Value v = evaluate(*group.pairs[entry.pair].second, context, value_env);
    if (v.is_defined()) result->set(key, std::move(v));
  }
  return Value::object(std::move(result));
}

Value Evaluator::evaluate_sort(const SyntaxNode& sort, const Value& input, const FramePtr& env) {
  if (input.is_undefined()) return {};
  Value items = input.is_array() ? input : sequence_of(input);
  bool tuples = items.is_tuple_stream();
  std::size_t n = items.size();
  std::vector<std::vector<Value>> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    Value item = items.at(i);
    for (const auto& term : sort.terms) {
      if (tuples) keys[i].push_back(evaluate(*term.expr, item.member("@"), frame_from_tuple(env, item)));
      else keys[i].push_back(evaluate(*term.expr, item, env));
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& key : keys[i])
      if (key.is_defined() && !key.is_number() && !key.is_string())
        raise("T2008", "The expressions within an order-by clause must evaluate to numeric or string values",
              sort.position);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    for (std::size_t t = 0; t < sort.terms.size(); ++t) {
      const Value& a = keys[x][t];
      const Value& b = keys[y][t];
      if (a.is_undefined() && b.is_undefined()) continue;
      if (a.is_undefined()) return false;
      if (b.is_undefined()) return true;
      if (a.kind() != b.kind())
        raise("T2007", "Type mismatch when comparing values in order-by clause", sort.position);
      int c;
      if (a.is_number()) c = a.as_number() < b.as_number() ? -1 : (a.as_number() > b.as_number() ? 1 : 0);
      else c = a.as_string() < b.as_string() ? -1 : (a.as_string() > b.as_string() ? 1 : 0);
      if (c == 0) continue;
      if (sort.terms[t].descending) c = -c;
      return c < 0;
    }
    return false;
  });
  auto out = make_sequence();
  out->tuple_stream = tuples;
  for (std::size_t i : order) out->items.push_back(items.at(i));
  return Value::array(std::move(out));
}

Value Evaluator::evaluate_name(const SyntaxNode& node, const Value& input, int depth) {
  check_nesting(depth);
  if (input.is_array()) {
    auto seq = make_sequence();
    seq->items.reserve(input.size());
    for (std::size_t i = 0, n = input.size(); i < n; ++i) {
      Value res = evaluate_name(node, input.at(i), depth + 1);
      if (res.is_undefined()) continue;
      if (res.is_array()) {
        for (std::size_t k = 0, m = res.size(); k < m; ++k) seq->items.push_back(res.at(k));
      } else {
        seq->items.push_back(std::move(res));
      }
    }
    return Value::array(std::move(seq));
  }
  return input.member(node.text);
}

Value Evaluator::evaluate_wildcard(const Value& input) {
  auto seq = make_sequence();
  Value in = input.is_outer_wrapper() && input.size() > 0 ? input.at(0) : input;
  auto add = [&](const Value& v) {
    if (v.is_array()) flatten_into(v, seq->items);
    else seq->items.push_back(v);
  };
  if (in.is_object()) in.for_each_member([&](std::string_view, const Value& v) { add(v); });
  else if (in.is_array())
    for (std::size_t i = 0, n = in.size(); i < n; ++i) add(in.at(i));
  return Value::array(std::move(seq));
}

namespace {

void collect_descendants(const Value& v, std::vector<Value>& out, int depth = 0) {
  check_nesting(depth);
  if (!v.is_array()) out.push_back(v);
  if (v.is_array()) {
    for (std::size_t i = 0, n = v.size(); i < n; ++i) collect_descendants(v.at(i), out, depth + 1);
  } else if (v.is_object()) {
    v.for_each_member([&](std::string_view, const Value& m) { collect_descendants(m, out, depth + 1); });
  }
}

}  // namespace

Value Evaluator::evaluate_descendants(const Value& input) {
  if (input.is_undefined()) return {};
  auto seq = make_sequence();
  collect_descendants(input, seq->items);
  if (seq->items.size() == 1) return seq->items[0];
  return Value::array(std::move(seq));
}

Value Evaluator::evaluate_parent(const SyntaxNode& node, const FramePtr& env) {
  if (const Value* v = env->find(node.slot->label)) return *v;
  return {};
}

}  // namespace flowstate::jsonata
