#include "engine/jsonata/function_library.hpp"

#include <string>
#include <unordered_map>

#include "engine/jsonata/evaluator.hpp"

namespace flowstate::jsonata {

void add(NativeTable& table, std::string_view name, std::string_view signature,
         std::function<Value(NativeCall&)> implementation) {
  table.push_back(NativeFunction{std::string(name), Signature::parse(signature, 0), std::move(implementation)});
}

const NativeFunction* find_builtin(std::string_view name) {
  // Built once, read-only afterwards: safe to share between threads.
  static const auto* const kTable = [] {
    auto* table = new NativeTable;
    add_string_functions(*table);
    add_numeric_functions(*table);
    add_array_functions(*table);
    add_object_functions(*table);
    add_datetime_functions(*table);
    return table;
  }();
  static const auto* const kIndex = [] {
    auto* index = new std::unordered_map<std::string_view, const NativeFunction*>;
    for (const auto& f : *kTable) (*index)[f.name] = &f;
    return index;
  }();
  auto it = kIndex->find(name);
  return it == kIndex->end() ? nullptr : it->second;
}

Value call_with_arity(NativeCall& call, const Value& function, std::vector<Value> args) {
  std::size_t arity = function.is_function() ? function.function_node()->arity() : args.size();
  if (args.size() > arity) args.resize(arity);
  return call.evaluator.apply(function, std::move(args), call.context, call.position);
}

}  // namespace flowstate::jsonata
