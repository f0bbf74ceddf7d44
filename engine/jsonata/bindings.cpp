#include "engine/jsonata/bindings.hpp"

#include <stdexcept>

#include "engine/jsonata/evaluator.hpp"

namespace flowstate::jsonata {

namespace json = boost::json;

void Bindings::set(std::string name, json::value value) {
  references_.erase(name);
  owned_[std::move(name)] = std::move(value);
}

void Bindings::set_reference(std::string name, const json::value& value) {
  owned_.erase(name);
  references_[std::move(name)] = &value;
}

boost::system::result<void, Error> Bindings::set_function(std::string name, std::string_view signature,
                                                          HostFunction function) {
  NativeFunction native;
  try {
    native.signature = Signature::parse(signature, 0);
  } catch (const RaisedError& e) {
    return e.error();
  }
  native.name = name;
  native.implementation = [function = std::move(function)](NativeCall& call) -> Value {
    std::vector<std::optional<json::value>> args;
    args.reserve(call.args.size());
    for (const auto& a : call.args) args.push_back(to_json(a));
    auto result = function(args);
    if (!result) {
      Error error = result.error();
      if (error.position == 0) error.position = call.position;
      throw RaisedError(std::move(error));
    }
    if (!*result) return {};
    return call.evaluator.keep(std::move(**result));
  };
  functions_[std::move(name)] = std::move(native);
  return {};
}

void Bindings::set_reference_object(std::string name, std::vector<ReferenceMember> members) {
  std::erase_if(members, [](const ReferenceMember& member) { return member.second == nullptr; });
  reference_objects_[std::move(name)] = std::move(members);
}

const json::value* Bindings::find(std::string_view name) const {
  if (auto it = owned_.find(name); it != owned_.end()) return &it->second;
  if (auto it = references_.find(name); it != references_.end()) return it->second;
  if (variables_)
    if (const json::value* value = variables_->if_contains(name)) return value;
  return base_ ? base_->find(name) : nullptr;
}

const std::vector<Bindings::ReferenceMember>* Bindings::find_reference_object(std::string_view name) const {
  if (auto it = reference_objects_.find(name); it != reference_objects_.end()) return &it->second;
  return base_ ? base_->find_reference_object(name) : nullptr;
}

bool Bindings::hides_builtin(std::string_view name) const {
  return hidden_.find(name) != hidden_.end() || (base_ && base_->hides_builtin(name));
}

const NativeFunction* Bindings::find_function(std::string_view name) const {
  if (auto it = functions_.find(name); it != functions_.end()) return &it->second;
  return base_ ? base_->find_function(name) : nullptr;
}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw std::logic_error("unchecked JSONata error: " + error.code + " " + error.message);
}

}  // namespace flowstate::jsonata
