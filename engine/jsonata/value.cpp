#include "engine/jsonata/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/function_value.hpp"

namespace flowstate::jsonata {

namespace json = boost::json;

struct ValueAccess {
  static Value make(Kind kind, boost::intrusive_ptr<BuiltNode> node) {
    Value v;
    v.kind_ = kind;
    v.node_ = node.detach();
    return v;
  }
};

Value Value::null() {
  Value v;
  v.kind_ = Kind::null;
  return v;
}

Value Value::boolean(bool value) {
  Value v;
  v.kind_ = Kind::boolean;
  v.boolean_ = value;
  return v;
}

Value Value::number(double value) {
  Value v;
  v.kind_ = Kind::number;
  v.number_ = value;
  return v;
}

Value Value::string(std::string text) {
  boost::intrusive_ptr<StringNode> node(new StringNode);
  node->text = std::move(text);
  return ValueAccess::make(Kind::string, std::move(node));
}

Value Value::borrow(const json::value& j) {
  Value v;
  switch (j.kind()) {
    case json::kind::null: v.kind_ = Kind::null; return v;
    case json::kind::bool_: return boolean(j.get_bool());
    case json::kind::int64: return number(static_cast<double>(j.get_int64()));
    case json::kind::uint64: return number(static_cast<double>(j.get_uint64()));
    case json::kind::double_: return number(j.get_double());
    case json::kind::string: v.kind_ = Kind::string; break;
    case json::kind::array: v.kind_ = Kind::array; break;
    case json::kind::object: v.kind_ = Kind::object; break;
  }
  v.borrowed_ = true;
  v.json_ = &j;
  return v;
}

Value Value::array(boost::intrusive_ptr<ArrayNode> node) { return ValueAccess::make(Kind::array, std::move(node)); }
Value Value::object(boost::intrusive_ptr<ObjectNode> node) { return ValueAccess::make(Kind::object, std::move(node)); }
Value Value::function(boost::intrusive_ptr<FunctionNode> node) {
  return ValueAccess::make(Kind::function, std::move(node));
}

std::string_view Value::as_string() const {
  if (kind_ != Kind::string) return {};
  if (borrowed_) {
    const auto& s = json_->get_string();
    return {s.data(), s.size()};
  }
  return static_cast<const StringNode*>(node_)->text;
}

std::size_t Value::size() const {
  if (kind_ != Kind::array) return 0;
  if (borrowed_) return json_->get_array().size();
  return static_cast<const ArrayNode*>(node_)->items.size();
}

Value Value::at(std::size_t index) const {
  if (borrowed_) return borrow(json_->get_array()[index]);
  return static_cast<const ArrayNode*>(node_)->items[index];
}

ArrayNode* Value::array_node() const {
  if (kind_ != Kind::array || borrowed_) return nullptr;
  return static_cast<ArrayNode*>(node_);
}

bool Value::is_sequence() const { auto* a = array_node(); return a && a->sequence; }
bool Value::is_tuple_stream() const { auto* a = array_node(); return a && a->tuple_stream; }
bool Value::is_cons() const { auto* a = array_node(); return a && a->cons; }
bool Value::is_outer_wrapper() const { auto* a = array_node(); return a && a->outer_wrapper; }
bool Value::keeps_singleton() const { auto* a = array_node(); return a && a->keep_singleton; }

Value Value::member(std::string_view key) const {
  if (kind_ != Kind::object) return {};
  if (borrowed_) {
    const auto& o = json_->get_object();
    auto it = o.find(json::string_view(key.data(), key.size()));
    return it == o.end() ? Value() : borrow(it->value());
  }
  const Value* found = static_cast<const ObjectNode*>(node_)->find(key);
  return found ? *found : Value();
}

std::size_t Value::member_count() const {
  if (kind_ != Kind::object) return 0;
  if (borrowed_) return json_->get_object().size();
  return static_cast<const ObjectNode*>(node_)->members.size();
}

std::vector<std::string> Value::keys() const {
  std::vector<std::string> out;
  for_each_member([&](std::string_view key, const Value&) { out.emplace_back(key); });
  return out;
}

ObjectNode* Value::object_node() const {
  if (kind_ != Kind::object || borrowed_) return nullptr;
  return static_cast<ObjectNode*>(node_);
}

FunctionNode* Value::function_node() const {
  if (kind_ != Kind::function) return nullptr;
  return static_cast<FunctionNode*>(node_);
}

const Value* ObjectNode::find(std::string_view key) const {
  if (index.empty()) {
    for (const auto& [k, v] : members)
      if (k == key) return &v;
    return nullptr;
  }
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : &members[it->second].second;
}

void ObjectNode::set(std::string key, Value value) {
  if (Value* existing = const_cast<Value*>(find(key))) {
    *existing = std::move(value);
    return;
  }
  members.emplace_back(std::move(key), std::move(value));
  if (!index.empty()) {
    index.emplace(members.back().first, members.size() - 1);
  } else if (members.size() > 8) {
    for (std::size_t i = 0; i < members.size(); ++i) index.emplace(members[i].first, i);
  }
}

void ObjectNode::erase(std::string_view key) {
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (it->first == key) {
      members.erase(it);
      if (!index.empty()) {
        index.clear();
        for (std::size_t i = 0; i < members.size(); ++i) index.emplace(members[i].first, i);
      }
      return;
    }
  }
}

boost::intrusive_ptr<ArrayNode> make_sequence() {
  boost::intrusive_ptr<ArrayNode> a(new ArrayNode);
  a->sequence = true;
  return a;
}

boost::intrusive_ptr<ArrayNode> make_array() { return boost::intrusive_ptr<ArrayNode>(new ArrayNode); }
boost::intrusive_ptr<ObjectNode> make_object() { return boost::intrusive_ptr<ObjectNode>(new ObjectNode); }

Value sequence_of(Value item) {
  auto seq = make_sequence();
  if (item.is_defined()) seq->items.push_back(std::move(item));
  return Value::array(std::move(seq));
}

namespace {

json::value number_to_json(double d) {
  constexpr double kMaxSafe = 9007199254740992.0;  // 2^53
  if (std::trunc(d) == d && std::fabs(d) <= kMaxSafe) return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}

}  // namespace

void intrusive_ptr_release(const BuiltNode* node) {
  if (--node->references != 0) return;
  std::vector<BuiltNode*> released{const_cast<BuiltNode*>(node)};
  while (!released.empty()) {
    BuiltNode* next = released.back();
    released.pop_back();
    next->surrender_children(released);
    delete next;
  }
}

void Value::surrender(std::vector<BuiltNode*>& released) {
  if (!owns()) return;
  BuiltNode* node = node_;
  kind_ = Kind::undefined;
  if (--node->references == 0) released.push_back(node);
}

void check_nesting(int depth) {
  if (depth > kMaxValueNesting) raise("U1002", "Value nested too deeply to process");
}

std::optional<json::value> to_json(const Value& value, int depth) {
  check_nesting(depth);
  switch (value.kind()) {
    case Kind::undefined: return std::nullopt;
    case Kind::null: return json::value(nullptr);
    case Kind::boolean: return json::value(value.as_boolean());
    case Kind::number: return number_to_json(value.as_number());
    case Kind::string: {
      if (const auto* j = value.borrowed()) return *j;
      auto s = value.as_string();
      return json::value(json::string_view(s.data(), s.size()));
    }
    case Kind::array: {
      if (const auto* j = value.borrowed()) return *j;
      json::array out;
      const auto& items = value.array_node()->items;
      out.reserve(items.size());
      for (const auto& item : items) {
        auto j = to_json(item, depth + 1);
        if (j) out.push_back(std::move(*j));
        else if (item.is_function()) out.push_back(nullptr);
      }
      return json::value(std::move(out));
    }
    case Kind::object: {
      if (const auto* j = value.borrowed()) return *j;
      json::object out;
      for (const auto& [key, member] : value.object_node()->members) {
        auto j = to_json(member, depth + 1);
        if (j) out[key] = std::move(*j);
      }
      return json::value(std::move(out));
    }
    case Kind::function: return std::nullopt;
  }
  return std::nullopt;
}

Value deep_copy(const Value& value, int depth) {
  check_nesting(depth);
  if (value.is_array()) {
    auto out = make_array();
    const auto* from = value.array_node();
    if (from) {
      out->sequence = from->sequence;
      out->cons = from->cons;
    }
    for (std::size_t i = 0, n = value.size(); i < n; ++i) out->items.push_back(deep_copy(value.at(i), depth + 1));
    return Value::array(std::move(out));
  }
  if (value.is_object()) {
    auto out = make_object();
    value.for_each_member([&](std::string_view key, const Value& member) { out->set(std::string(key), deep_copy(member, depth + 1)); });
    return Value::object(std::move(out));
  }
  return value;
}

bool deep_equal(const Value& a, const Value& b, int depth) {
  check_nesting(depth);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::undefined: return false;
    case Kind::null: return true;
    case Kind::boolean: return a.as_boolean() == b.as_boolean();
    case Kind::number: return a.as_number() == b.as_number();
    case Kind::string: return a.as_string() == b.as_string();
    case Kind::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0, n = a.size(); i < n; ++i)
        if (!deep_equal(a.at(i), b.at(i), depth + 1)) return false;
      return true;
    }
    case Kind::object: {
      if (a.member_count() != b.member_count()) return false;
      bool equal = true;
      a.for_each_member([&](std::string_view key, const Value& member) {
        if (equal && !deep_equal(member, b.member(key), depth + 1)) equal = false;
      });
      return equal;
    }
    case Kind::function: return a.function_node() == b.function_node();
  }
  return false;
}

std::string format_number(double value) {
  if (value == 0) return "0";
  // Shortest round-trip digits and decimal exponent, then JavaScript's layout rules
  // (ECMA-262 Number::toString): plain notation for 1e-7 < |x| < 1e21.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string s(buf, end);
  bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  auto e = s.find('e');
  int exponent = std::stoi(s.substr(e + 1));
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits.push_back(c);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0) ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace flowstate::jsonata
