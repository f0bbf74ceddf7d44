// Signature: a function's declared parameter types ("<s-n?:s>", "<a<n>:n>", "<af>"), parsed
// once and used to check, wrap and complete the arguments of each call (T0410, T0411, T0412).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

class Signature {
 public:
  struct Param {
    std::string symbols;   ///< accepted types, from "bnsloaf"
    char quantifier = 0;   ///< 0 (exactly one), '?' (optional) or '+' (one or more)
    bool context = false;  ///< '-': the context value stands in when the argument is missing
    bool array = false;    ///< declared 'a': a non-array argument is wrapped in an array
    char subtype = 0;      ///< 'a<n>': every element must be this type ('\0' = any)
  };

  /// Parses "<...>" (S0401, S0402 on malformed text).
  static Signature parse(std::string_view text, std::size_t position);

  /// Checks `args` against the parameters and returns them completed (context inserted,
  /// arrays wrapped); raises T0410 / T0411 / T0412 naming `function_name`.
  std::vector<Value> validate(const std::vector<Value>& args, const Value& context,
                              std::string_view function_name, std::size_t position) const;

  std::size_t arity() const { return params_.size(); }
  const std::vector<Param>& params() const { return params_; }

 private:
  std::vector<Param> params_;
};

/// The signature symbol of a value: b n s l a o f, and 'm' for undefined.
char type_symbol(const Value& value);

}  // namespace flowstate::jsonata
