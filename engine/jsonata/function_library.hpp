// The built-in function library ($string, $sum, $map, ...): one table from name to
// NativeFunction, filled by the family files function_library_*.cpp.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "engine/jsonata/function_value.hpp"

namespace flowstate::jsonata {

/// The built-in named `name` (without '$'), or nullptr.
const NativeFunction* find_builtin(std::string_view name);

using NativeTable = std::vector<NativeFunction>;
void add(NativeTable& table, std::string_view name, std::string_view signature,
         std::function<Value(NativeCall&)> implementation);

void add_string_functions(NativeTable& table);
void add_numeric_functions(NativeTable& table);
void add_array_functions(NativeTable& table);
void add_object_functions(NativeTable& table);
void add_datetime_functions(NativeTable& table);

/// Calls `function` with as many of (value, index, array) as it declares parameters: how
/// $map, $filter, $each, $sift and $single call their function argument.
Value call_with_arity(NativeCall& call, const Value& function, std::vector<Value> args);

}  // namespace flowstate::jsonata
