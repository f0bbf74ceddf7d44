// IntrinsicCall: a compiled intrinsic function call such as
// "States.Format('Hello {}', $.name)" — parsed once at load into a call tree, evaluated per
// use. The functions themselves are in intrinsics_*.cpp, dispatched through intrinsics.hpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"

namespace flowstate::data {

class IntrinsicCall {
 public:
  /// Parses a whole call expression. Unknown function names, wrong argument counts that can be
  /// known at load time, bad literals and nesting deeper than asl::kMaxIntrinsicNesting are
  /// load-time errors: the message says what is wrong, e.g.
  /// "unknown intrinsic function 'States.Frobnicate'".
  static boost::system::result<IntrinsicCall, std::string> compile(std::string_view text);

  /// Whether `text` has the shape of a call ("Name(...)"), to tell a mistyped path from one.
  static bool looks_like_call(std::string_view text);

  IntrinsicCall(IntrinsicCall&&) noexcept;
  IntrinsicCall& operator=(IntrinsicCall&&) noexcept;
  IntrinsicCall(const IntrinsicCall&);
  IntrinsicCall& operator=(const IntrinsicCall&);
  ~IntrinsicCall();

  /// Evaluates the call. A failure (bad argument type or value, missing path) is a Failure
  /// whose cause is the detail only; the runtime prefixes AWS's
  /// "An error occurred while executing the state '...' (entered at the event id #n). ".
  boost::system::result<boost::json::value, asl::Failure> evaluate(const PathScope& scope) const;

  const std::string& text() const { return text_; }
  /// The outermost function name, e.g. "States.Format".
  std::string_view function_name() const;

  struct Node;  // defined in intrinsic_call.cpp

 private:
  IntrinsicCall();
  std::string text_;
  std::unique_ptr<Node> root_;
};

}  // namespace flowstate::data
