// Failure: an ASL runtime error as a value ({"Error", "Cause"}), carried through Retry/Catch,
// history events and checkpoints. Never thrown.
#pragma once

#include <optional>
#include <source_location>
#include <string>

#include <boost/assert/source_location.hpp>
#include <boost/json/value.hpp>

namespace flowstate::asl {

struct Failure {
  Failure() = default;
  Failure(std::optional<std::string> error_name, std::optional<std::string> cause_text)
      : error(std::move(error_name)), cause(std::move(cause_text)) {}

  /// Error name; absent when a Fail state names none (AWS then reports null).
  std::optional<std::string> error;
  /// Human-readable cause; absent when none was given.
  std::optional<std::string> cause;

  /// The error output handed to a Catcher: {"Error": ..., "Cause": ...}; AWS writes
  /// absent fields as null.
  boost::json::value to_error_output() const;

  friend bool operator==(const Failure&, const Failure&) = default;
};

Failure make_failure(std::string error, std::string cause);

/// `boost::system::result<T, Failure>::value()` calls this through ADL when it holds a
/// Failure. Reaching it means code used a result without testing it: a bug, thrown loudly.
[[noreturn]] void throw_exception_from_error(const Failure& failure,
                                             const boost::source_location& location);

}  // namespace flowstate::asl
