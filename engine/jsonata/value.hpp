// Value: what a JSONata expression evaluates to — undefined, a JSON value (borrowed from the
// input or built during evaluation), a sequence, or a function. Input JSON is never copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/smart_ptr/intrusive_ptr.hpp>

namespace flowstate::jsonata {

enum class Kind : std::uint8_t { undefined, null, boolean, number, string, array, object, function };

struct StringNode;
struct ArrayNode;
struct ObjectNode;
struct FunctionNode;

// Nodes built during one evaluation are owned by reference counts; they never cross threads
// (the compiled tree holds none), so the counter need not be atomic.
struct BuiltNode {
  BuiltNode() = default;
  BuiltNode(const BuiltNode&) {}  // a copy starts unreferenced
  BuiltNode& operator=(const BuiltNode&) { return *this; }
  virtual ~BuiltNode() = default;
  /// Moves out the nodes this one owns whose last reference it holds, so that releasing a
  /// deeply nested value is a loop, not a recursion (see intrusive_ptr_release).
  virtual void surrender_children(std::vector<BuiltNode*>&) {}
  mutable std::size_t references = 0;
};
inline void intrusive_ptr_add_ref(const BuiltNode* node) { ++node->references; }
void intrusive_ptr_release(const BuiltNode* node);

/// 16 bytes: a kind and one word — a number, a boolean, a pointer into borrowed JSON, or
/// a counted reference to a built node.
class Value {
 public:
  Value() = default;  // undefined
  Value(const Value& other) noexcept : kind_(other.kind_), borrowed_(other.borrowed_), bits_(other.bits_) {
    if (owns()) intrusive_ptr_add_ref(node_);
  }
  Value(Value&& other) noexcept : kind_(other.kind_), borrowed_(other.borrowed_), bits_(other.bits_) {
    other.kind_ = Kind::undefined;
    other.borrowed_ = false;
  }
  Value& operator=(const Value& other) noexcept {
    Value copy(other);
    swap(copy);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    Value moved(std::move(other));
    swap(moved);
    return *this;
  }
  ~Value() {
    if (owns()) intrusive_ptr_release(node_);
  }
  void swap(Value& other) noexcept {
    std::swap(kind_, other.kind_);
    std::swap(borrowed_, other.borrowed_);
    std::swap(bits_, other.bits_);
  }
  static Value null();
  static Value boolean(bool value);
  static Value number(double value);
  static Value string(std::string text);
  /// A view of `json` (kept alive by the caller for the evaluation): no copy.
  static Value borrow(const boost::json::value& json);
  static Value array(boost::intrusive_ptr<ArrayNode> node);
  static Value object(boost::intrusive_ptr<ObjectNode> node);
  static Value function(boost::intrusive_ptr<FunctionNode> node);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::undefined; }
  bool is_defined() const { return kind_ != Kind::undefined; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_boolean() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_function() const { return kind_ == Kind::function; }

  bool as_boolean() const { return kind_ == Kind::boolean && boolean_; }
  double as_number() const { return kind_ == Kind::number ? number_ : 0; }
  std::string_view as_string() const;

  // Arrays, borrowed or built.
  std::size_t size() const;
  Value at(std::size_t index) const;
  /// The built array, or nullptr when this is a borrowed JSON array (or not an array).
  ArrayNode* array_node() const;
  bool is_sequence() const;
  bool is_tuple_stream() const;
  bool is_cons() const;
  bool is_outer_wrapper() const;
  bool keeps_singleton() const;

  // Objects, borrowed or built.
  /// The member's value, undefined when absent.
  Value member(std::string_view key) const;
  std::size_t member_count() const;
  std::vector<std::string> keys() const;
  template <class F>
  void for_each_member(F&& f) const;
  ObjectNode* object_node() const;

  FunctionNode* function_node() const;
  const boost::json::value* borrowed() const { return borrowed_ ? json_ : nullptr; }
  /// Gives up this value's node: appended to `released` when this was its last reference.
  void surrender(std::vector<BuiltNode*>& released);

 private:
  bool owns() const { return !borrowed_ && kind_ >= Kind::string; }

  Kind kind_ = Kind::undefined;
  bool borrowed_ = false;
  union {
    std::uint64_t bits_ = 0;  ///< the whole word, to copy whichever member is live
    double number_;
    bool boolean_;
    const boost::json::value* json_;  ///< borrowed string, array or object
    BuiltNode* node_;                  ///< built string, array, object or function (counted)
  };
  friend struct ValueAccess;
};

struct StringNode : BuiltNode {
  std::string text;
};

/// A built array. `sequence` marks JSONata's flattening sequences (a singleton sequence
/// collapses to its item, an empty one to undefined) as opposed to JSON arrays.
struct ArrayNode : BuiltNode {
  void surrender_children(std::vector<BuiltNode*>& released) override {
    for (auto& item : items) item.surrender(released);
  }
  std::vector<Value> items;
  bool sequence = false;
  bool keep_singleton = false;
  bool cons = false;           ///< built by an array constructor: not flattened in a path
  bool outer_wrapper = false;  ///< the evaluation input array wrapped as a singleton
  bool tuple_stream = false;   ///< items are tuples {"@": item, var: value...}
};

/// A built object: members in insertion order, indexed by key.
struct ObjectNode : BuiltNode {
  void surrender_children(std::vector<BuiltNode*>& released) override {
    for (auto& member : members) member.second.surrender(released);
  }
  std::vector<std::pair<std::string, Value>> members;
  std::unordered_map<std::string, std::size_t> index;

  const Value* find(std::string_view key) const;
  void set(std::string key, Value value);
  void erase(std::string_view key);
};

boost::intrusive_ptr<ArrayNode> make_sequence();
boost::intrusive_ptr<ArrayNode> make_array();
boost::intrusive_ptr<ObjectNode> make_object();
/// A sequence of one item (or none when the item is undefined).
Value sequence_of(Value item);

/// Values built during evaluation can nest deeper than any input (a $reduce that wraps its
/// accumulator 100,000 times); the functions that walk values recursively refuse to go
/// deeper than this (U1002) rather than exhaust the native stack.
inline constexpr int kMaxValueNesting = 2000;
/// Raises U1002 when `depth` exceeds kMaxValueNesting.
void check_nesting(int depth);

/// JSONata's `undefined` as nullopt; integral numbers within ±2^53 become int64; functions
/// become nothing in objects and null in arrays.
std::optional<boost::json::value> to_json(const Value& value, int depth = 0);
/// A deep copy into built nodes that may be modified (the transform operator's clone).
Value deep_copy(const Value& value, int depth = 0);

/// JSONata's `=`: deep equality, numbers by value.
bool deep_equal(const Value& a, const Value& b, int depth = 0);

/// JavaScript's Number.prototype.toString for a finite double.
std::string format_number(double value);

template <class F>
void Value::for_each_member(F&& f) const {
  if (kind_ != Kind::object) return;
  if (borrowed_) {
    for (const auto& m : json_->get_object())
      f(std::string_view(m.key().data(), m.key().size()), Value::borrow(m.value()));
  } else {
    for (const auto& [key, value] : static_cast<const ObjectNode*>(node_)->members)
      f(std::string_view(key), value);
  }
}

}  // namespace flowstate::jsonata
