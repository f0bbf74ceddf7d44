#include "engine/data/payload_template.hpp"

#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsic_call.hpp"
#include "engine/data/json_path.hpp"

namespace flowstate::data {

namespace json = boost::json;

struct PathValue {
  JsonPath path;
  std::string field;  // the key as written, with ".$"
};
struct IntrinsicValue {
  IntrinsicCall call;
};
struct ObjectNode {
  std::vector<std::pair<std::string, PayloadTemplate::Node>> members;
};
struct ArrayNode {
  std::vector<PayloadTemplate::Node> elements;
};

struct PayloadTemplate::Node {
  // A literal subtree holds its finished value; dynamic nodes evaluate per use.
  std::variant<json::value, ObjectNode, ArrayNode, PathValue, IntrinsicValue> kind;
};

namespace {

bool has_dynamic_key(const json::value& value) {
  if (value.is_object()) {
    for (const auto& member : value.get_object()) {
      std::string_view key = member.key();
      if (key.size() >= 2 && key.ends_with(".$")) return true;
      if (has_dynamic_key(member.value())) return true;
    }
  } else if (value.is_array()) {
    for (const auto& element : value.get_array())
      if (has_dynamic_key(element)) return true;
  }
  return false;
}

bool compile_node(const json::value& value, PayloadTemplate::Node& out,
                  const PayloadTemplate::ErrorSink& on_error, bool& reads_context) {
  if (!has_dynamic_key(value)) {
    out.kind = value;
    return true;
  }
  bool ok = true;
  if (value.is_array()) {
    ArrayNode array;
    for (const auto& element : value.get_array()) {
      PayloadTemplate::Node node;
      ok = compile_node(element, node, on_error, reads_context) && ok;
      array.elements.push_back(std::move(node));
    }
    out.kind = std::move(array);
    return ok;
  }
  ObjectNode object;
  const auto& source = value.get_object();
  for (const auto& member : source) {
    std::string_view key = member.key();
    PayloadTemplate::Node node;
    if (key.size() >= 2 && key.ends_with(".$")) {
      std::string_view name = key.substr(0, key.size() - 2);
      if (source.contains(name)) {
        on_error(member.value(), fmt::format("the field '{}' and '{}' name the same key", key, name));
        ok = false;
        continue;
      }
      if (!member.value().is_string()) {
        on_error(member.value(),
                 fmt::format("the value of '{}' must be a string holding a path or an intrinsic "
                             "function call",
                             key));
        ok = false;
        continue;
      }
      std::string_view expression = member.value().get_string();
      if (expression.starts_with("$")) {
        auto path = JsonPath::compile(expression);
        if (!path) {
          on_error(member.value(), fmt::format("field '{}': {}", key, path.error()));
          ok = false;
          continue;
        }
        if (path->root() == JsonPath::Root::context) reads_context = true;
        node.kind = PathValue{std::move(*path), std::string(key)};
      } else {
        auto call = IntrinsicCall::compile(expression);
        if (!call) {
          on_error(member.value(), fmt::format("field '{}': {}", key, call.error()));
          ok = false;
          continue;
        }
        if (expression.find("$$") != std::string_view::npos) reads_context = true;
        node.kind = IntrinsicValue{std::move(*call)};
      }
      object.members.emplace_back(std::string(name), std::move(node));
    } else {
      ok = compile_node(member.value(), node, on_error, reads_context) && ok;
      object.members.emplace_back(std::string(key), std::move(node));
    }
  }
  out.kind = std::move(object);
  return ok;
}

boost::system::result<json::value, asl::Failure> evaluate_node(const PayloadTemplate::Node& node,
                                                               const PathScope& scope) {
  return std::visit(
      [&](const auto& kind) -> boost::system::result<json::value, asl::Failure> {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, json::value>) {
          return kind;
        } else if constexpr (std::is_same_v<T, ObjectNode>) {
          json::object object(kind.members.size());
          for (const auto& [key, child] : kind.members) {
            auto value = evaluate_node(child, scope);
            if (!value) return value.error();
            object.emplace(key, std::move(*value));
          }
          return json::value(std::move(object));
        } else if constexpr (std::is_same_v<T, ArrayNode>) {
          json::array array;
          array.reserve(kind.elements.size());
          for (const auto& child : kind.elements) {
            auto value = evaluate_node(child, scope);
            if (!value) return value.error();
            array.push_back(std::move(*value));
          }
          return json::value(std::move(array));
        } else if constexpr (std::is_same_v<T, PathValue>) {
          auto value = kind.path.evaluate(scope);
          if (!value) return field_path_not_found(kind.path, kind.field, scope.input);
          return std::move(*value);
        } else {
          return kind.call.evaluate(scope);
        }
      },
      node.kind);
}

}  // namespace

PayloadTemplate::PayloadTemplate() = default;
PayloadTemplate::PayloadTemplate(PayloadTemplate&&) noexcept = default;
PayloadTemplate& PayloadTemplate::operator=(PayloadTemplate&&) noexcept = default;
PayloadTemplate::~PayloadTemplate() = default;

std::optional<PayloadTemplate> PayloadTemplate::compile(const json::value& payload,
                                                        const ErrorSink& on_error) {
  PayloadTemplate result;
  result.root_ = std::make_unique<Node>();
  if (!compile_node(payload, *result.root_, on_error, result.reads_context_)) return std::nullopt;
  return result;
}

boost::system::result<json::value, asl::Failure> PayloadTemplate::evaluate(
    const PathScope& scope) const {
  return evaluate_node(*root_, scope);
}

}  // namespace flowstate::data
