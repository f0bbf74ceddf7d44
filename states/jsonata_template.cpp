#include "states/jsonata_template.hpp"

#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/jsonata/expression.hpp"
#include "states/aws_jsonata_functions.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

namespace json = boost::json;

struct JsonataTemplate::Node {
  enum class Kind { literal, expression, object, array } kind = Kind::literal;
  json::value literal;
  std::optional<jsonata::Expression> expression;
  std::string text;   ///< the expression between its delimiters, as AWS quotes it
  std::string field;  ///< "Output/result", "Items[1]": where AWS says it failed
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> members;
  std::vector<std::unique_ptr<Node>> elements;
};

namespace {

using Node = JsonataTemplate::Node;

bool has_expression(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string: return is_jsonata_expression(value.get_string());
    case json::kind::array:
      for (const auto& element : value.get_array())
        if (has_expression(element)) return true;
      return false;
    case json::kind::object:
      for (const auto& member : value.get_object())
        if (has_expression(member.value())) return true;
      return false;
    default: return false;
  }
}

std::string_view trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

bool expression_reads_context(std::string_view text) {
  for (auto at = text.find("$states"); at != std::string_view::npos; at = text.find("$states", at + 1)) {
    std::string_view rest = text.substr(at + 7);
    if (!rest.starts_with(".input") && !rest.starts_with(".result") && !rest.starts_with(".errorOutput"))
      return true;
  }
  return false;
}

namespace {

std::unique_ptr<Node> compile_node(const json::value& value, const std::string& field,
                                   definition::FieldReader& reader, bool& ok, bool& context) {
  auto node = std::make_unique<Node>();
  node->field = field;
  if (!has_expression(value)) {
    node->literal = value;
    return node;
  }
  if (value.is_string()) {
    std::string_view whole = value.get_string();
    node->kind = Node::Kind::expression;
    node->text = std::string(trimmed(whole.substr(2, whole.size() - 4)));
    // Step Functions runs JSONata 2.0: no "??" or "?:".
    auto compiled = jsonata::Expression::compile(node->text, jsonata::Expression::Options{false});
    if (!compiled) {
      reader.error_at(value, fmt::format("'{}': the JSONata expression \"{}\" is not valid: {} {} (at "
                                         "character {})",
                                         field, node->text, compiled.error().code,
                                         compiled.error().message, compiled.error().position));
      ok = false;
      return node;
    }
    if (auto reference = compiled->top_level_input_reference()) {
      reader.error_at(value, fmt::format("'{}': the JSONata expression \"{}\" reads '{}' at its top "
                                         "level; JSONata states have no implicit input: use "
                                         "$states.input",
                                         field, node->text, reference->name));
      ok = false;
      return node;
    }
    context = context || expression_reads_context(node->text);
    node->expression.emplace(std::move(*compiled));
    return node;
  }
  if (value.is_object()) {
    node->kind = Node::Kind::object;
    for (const auto& member : value.get_object()) {
      std::string key(member.key());
      node->members.emplace_back(key, compile_node(member.value(), field + "/" + key, reader, ok, context));
    }
    return node;
  }
  node->kind = Node::Kind::array;
  const json::array& array = value.get_array();
  for (std::size_t i = 0; i < array.size(); ++i)
    node->elements.push_back(compile_node(array[i], fmt::format("{}[{}]", field, i), reader, ok, context));
  return node;
}

asl::Failure query_error(std::string cause) {
  return asl::Failure(std::string(asl::error_name::kQueryEvaluationError), std::move(cause));
}

boost::system::result<json::value, asl::Failure> evaluate_node(const Node& node,
                                                               const jsonata::Bindings& bindings) {
  switch (node.kind) {
    case Node::Kind::literal: return node.literal;
    case Node::Kind::expression: {
      auto result = node.expression->evaluate_yield(nullptr, bindings);
      if (!result)
        return query_error(fmt::format("The JSONata expression '{}' specified for the field '{}' threw an "
                                       "error during evaluation. {}: {}",
                                       node.text, node.field, result.error().code, result.error().message));
      if (result->function)  // [conformance: base_scenarios.map_state_items_eval_jsonata_fail~function]
        return query_error(fmt::format("The JSONata expression '{}' specified for the field '{}' returned "
                                       "an unsupported result type.",
                                       node.text, node.field));
      if (!result->value)
        return query_error(fmt::format("The JSONata expression '{}' specified for the field '{}' returned "
                                       "nothing (undefined).",
                                       node.text, node.field));
      return std::move(*result->value);
    }
    case Node::Kind::object: {
      json::object object;
      object.reserve(node.members.size());
      for (const auto& [key, child] : node.members) {
        auto value = evaluate_node(*child, bindings);
        if (!value) return value;
        object[key] = std::move(*value);
      }
      return json::value(std::move(object));
    }
    case Node::Kind::array: {
      json::array array;
      array.reserve(node.elements.size());
      for (const auto& child : node.elements) {
        auto value = evaluate_node(*child, bindings);
        if (!value) return value;
        array.push_back(std::move(*value));
      }
      return json::value(std::move(array));
    }
  }
  return json::value();
}

}  // namespace

JsonataTemplate::JsonataTemplate() = default;
JsonataTemplate::JsonataTemplate(JsonataTemplate&&) noexcept = default;
JsonataTemplate& JsonataTemplate::operator=(JsonataTemplate&&) noexcept = default;
JsonataTemplate::~JsonataTemplate() = default;

std::optional<JsonataTemplate> JsonataTemplate::compile(const json::value& value, std::string field,
                                                        definition::FieldReader& reader) {
  bool ok = true;
  JsonataTemplate compiled;
  compiled.root_ = compile_node(value, field, reader, ok, compiled.reads_context_);
  if (!ok) return std::nullopt;
  return compiled;
}

const std::string& JsonataTemplate::expression_text() const { return root_->text; }

boost::system::result<json::value, asl::Failure> JsonataTemplate::evaluate(const JsonataScope& scope) const {
  if (root_->kind == Node::Kind::literal) return root_->literal;
  // Nothing is copied: $states' members and the variables are bound by reference, over the
  // shared host functions.
  jsonata::Bindings bindings(&aws_jsonata_bindings());
  bindings.set_reference_object("states", {{"input", scope.input},
                                           {"context", scope.context},
                                           {"result", scope.result},
                                           {"errorOutput", scope.error_output}});
  if (scope.variables) bindings.set_references(*scope.variables);
  return evaluate_node(*root_, bindings);
}

}  // namespace flowstate::states
