// Bindings: the variables and host functions an evaluation sees besides the built-ins — the
// ASL runtime binds $states and workflow variables, and registers AWS's extra functions.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/function_value.hpp"

namespace flowstate::jsonata {

/// A function the host provides: JSON arguments (nullopt = undefined) after signature
/// checking, a JSON result (nullopt = undefined) or an Error.
using HostFunction = std::function<boost::system::result<std::optional<boost::json::value>, Error>(
    std::span<const std::optional<boost::json::value>> args)>;

class Bindings {
 public:
  /// A member of a reference object: its key and the value it refers to (null: left out).
  using ReferenceMember = std::pair<std::string_view, const boost::json::value*>;

  Bindings() = default;
  /// Bindings on top of `base`, which the caller keeps alive: what these do not bind is
  /// looked up there. Cheap to make per evaluation over a shared set of host functions.
  explicit Bindings(const Bindings* base) : base_(base) {}

  /// Binds $name to a copy of `value`.
  void set(std::string name, boost::json::value value);
  /// Binds $name to `value` without copying; the caller keeps it alive while evaluating.
  void set_reference(std::string name, const boost::json::value& value);
  /// Binds every member of `variables` as $member, without copying; the caller keeps it
  /// alive while evaluating. Names bound by set/set_reference take precedence.
  void set_references(const boost::json::object& variables) { variables_ = &variables; }
  /// Binds $name to an object of `members` (keys with static storage, e.g. literals), whose
  /// values are not copied. The evaluation sees an ordinary object.
  void set_reference_object(std::string name, std::vector<ReferenceMember> members);
  /// Registers $name, checked against `signature` ("<s-n?:s>"; Error on a bad signature).
  boost::system::result<void, Error> set_function(std::string name, std::string_view signature, HostFunction function);

  /// Makes the built-in $name unavailable (Step Functions disables $eval).
  void hide_builtin(std::string name) { hidden_.insert(std::move(name)); }

  const boost::json::value* find(std::string_view name) const;
  /// The members of the reference object bound as $name, or null.
  const std::vector<ReferenceMember>* find_reference_object(std::string_view name) const;
  bool hides_builtin(std::string_view name) const;
  const NativeFunction* find_function(std::string_view name) const;

 private:
  /// Lets the maps be searched by string_view without building a std::string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  template <typename T>
  using ByName = std::unordered_map<std::string, T, NameHash, std::equal_to<>>;

  const Bindings* base_ = nullptr;
  ByName<boost::json::value> owned_;
  ByName<const boost::json::value*> references_;
  const boost::json::object* variables_ = nullptr;
  ByName<std::vector<ReferenceMember>> reference_objects_;
  ByName<NativeFunction> functions_;
  std::unordered_set<std::string, NameHash, std::equal_to<>> hidden_;
};

/// `result<T, Error>::value()` on an error reaches this through ADL: a bug, thrown loudly.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& location);

}  // namespace flowstate::jsonata
