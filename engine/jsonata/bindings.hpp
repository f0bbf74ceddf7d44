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
#include <vector>

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
  /// Binds $name to a copy of `value`.
  void set(std::string name, boost::json::value value);
  /// Binds $name to `value` without copying; the caller keeps it alive while evaluating.
  void set_reference(std::string name, const boost::json::value& value);
  /// Registers $name, checked against `signature` ("<s-n?:s>"; Error on a bad signature).
  boost::system::result<void, Error> set_function(std::string name, std::string_view signature, HostFunction function);

  /// Makes the built-in $name unavailable (Step Functions disables $eval).
  void hide_builtin(std::string name) { hidden_.insert(std::move(name)); }

  const boost::json::value* find(std::string_view name) const;
  bool hides_builtin(std::string_view name) const { return hidden_.count(std::string(name)) > 0; }
  const NativeFunction* find_function(std::string_view name) const;

 private:
  std::unordered_map<std::string, boost::json::value> owned_;
  std::unordered_map<std::string, const boost::json::value*> references_;
  std::unordered_map<std::string, NativeFunction> functions_;
  std::unordered_set<std::string> hidden_;
};

/// `result<T, Error>::value()` on an error reaches this through ADL: a bug, thrown loudly.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& location);

}  // namespace flowstate::jsonata
