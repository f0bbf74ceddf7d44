// Error: a JSONata compile or evaluation error as JSONata reports it — a code ("S0201",
// "T2001", "D3030"...), a message and the character offset in the expression it concerns.
#pragma once

#include <cstddef>
#include <exception>
#include <string>

namespace flowstate::jsonata {

struct Error {
  std::string code;
  std::string message;
  std::size_t position = 0;  ///< character offset in the expression text (0 when unknown)

  friend bool operator==(const Error&, const Error&) = default;
};

/// Inside the library an error unwinds the parser or the evaluator as this exception; the
/// public entry points (Expression::compile, Expression::evaluate) catch it and return the
/// Error as a value, so it never crosses the library's interface.
class RaisedError : public std::exception {
 public:
  explicit RaisedError(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

[[noreturn]] inline void raise(std::string code, std::string message, std::size_t position = 0) {
  throw RaisedError(Error{std::move(code), std::move(message), position});
}

}  // namespace flowstate::jsonata
