// JsonPath evaluation: find / evaluate / assign over the compiled segments.
#include "engine/data/json_path.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/json_path_syntax.hpp"

namespace flowstate::data {

namespace json = boost::json;
using namespace path_syntax;

namespace {

std::string normalized(const std::vector<JsonPath::Segment>& segments, std::size_t count) {
  std::string out = "$";
  for (std::size_t i = 0; i < count && i < segments.size(); ++i) {
    if (auto* child = std::get_if<Child>(&segments[i].kind))
      out += fmt::format("['{}']", child->name);
    else if (auto* index = std::get_if<Index>(&segments[i].kind))
      out += fmt::format("[{}]", index->index);
  }
  return out;
}

const json::value* step_definite(const json::value& node, const JsonPath::Segment& segment) {
  if (auto* child = std::get_if<Child>(&segment.kind)) {
    if (!node.is_object()) return nullptr;
    return node.get_object().if_contains(child->name);
  }
  const auto& index = std::get<Index>(segment.kind);
  if (!node.is_array()) return nullptr;
  const auto& array = node.get_array();
  std::int64_t i = index.index < 0 ? static_cast<std::int64_t>(array.size()) + index.index
                                   : index.index;
  if (i < 0 || i >= static_cast<std::int64_t>(array.size())) return nullptr;
  return &array[static_cast<std::size_t>(i)];
}

int compare_numbers(const json::value& a, const json::value& b) {
  double x = a.is_double() ? a.get_double() : a.is_int64() ? double(a.get_int64()) : double(a.get_uint64());
  double y = b.is_double() ? b.get_double() : b.is_int64() ? double(b.get_int64()) : double(b.get_uint64());
  return x < y ? -1 : x > y ? 1 : 0;
}

}  // namespace

namespace {

const json::value* root_of(const JsonPath& path, const PathScope& scope) {
  static const json::value kEmptyObject = json::object();
  switch (path.root()) {
    case JsonPath::Root::input: return &scope.input;
    case JsonPath::Root::context: return scope.context ? scope.context : &kEmptyObject;
    case JsonPath::Root::variable:
      if (!scope.variables) return nullptr;
      return scope.variables->if_contains(path.variable());
  }
  return nullptr;
}

bool filter_matches(const FilterExpression& expression, const json::value& node,
                    const PathScope& scope);

void collect(const std::vector<JsonPath::Segment>& segments, std::size_t i,
             const json::value& node, const PathScope& scope, json::array& out) {
  if (i == segments.size()) {
    out.push_back(node);
    return;
  }
  const auto& segment = segments[i];
  std::visit(
      [&](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, Child> || std::is_same_v<T, Index>) {
          if (const json::value* next = step_definite(node, segment))
            collect(segments, i + 1, *next, scope, out);
        } else if constexpr (std::is_same_v<T, Wildcard>) {
          if (node.is_object())
            for (const auto& member : node.get_object()) collect(segments, i + 1, member.value(), scope, out);
          else if (node.is_array())
            for (const auto& element : node.get_array()) collect(segments, i + 1, element, scope, out);
        } else if constexpr (std::is_same_v<T, Slice>) {
          if (!node.is_array()) return;
          const auto& array = node.get_array();
          auto size = static_cast<std::int64_t>(array.size());
          auto clamp = [&](std::int64_t v) {
            if (v < 0) v += size;
            return std::clamp<std::int64_t>(v, 0, size);
          };
          if (kind.step > 0) {
            std::int64_t from = kind.start ? clamp(*kind.start) : 0;
            std::int64_t to = kind.end ? clamp(*kind.end) : size;
            for (std::int64_t k = from; k < to; k += kind.step)
              collect(segments, i + 1, array[static_cast<std::size_t>(k)], scope, out);
          } else {
            std::int64_t from = kind.start ? clamp(*kind.start) : size - 1;
            std::int64_t to = kind.end ? clamp(*kind.end) : -1;
            for (std::int64_t k = std::min(from, size - 1); k > to; k += kind.step)
              collect(segments, i + 1, array[static_cast<std::size_t>(k)], scope, out);
          }
        } else if constexpr (std::is_same_v<T, Union>) {
          for (const auto& member : kind.members) {
            JsonPath::Segment one;
            if (auto* name = std::get_if<std::string>(&member)) one.kind = Child{*name};
            else one.kind = Index{std::get<std::int64_t>(member)};
            if (const json::value* next = step_definite(node, one))
              collect(segments, i + 1, *next, scope, out);
          }
        } else if constexpr (std::is_same_v<T, DeepScan>) {
          // Visit this node and every descendant.
          auto visit_all = [&](auto&& self, const json::value& current) -> void {
            if (kind.name) {
              if (current.is_object())
                if (const auto* hit = current.get_object().if_contains(*kind.name))
                  collect(segments, i + 1, *hit, scope, out);
            } else if (&current != &node) {
              collect(segments, i + 1, current, scope, out);
            }
            if (!kind.name && i + 1 < segments.size() && &current == &node) {
              // "..[" form: apply the next segment at every level, including this one.
              collect(segments, i + 1, current, scope, out);
            }
            if (current.is_object())
              for (const auto& member : current.get_object()) self(self, member.value());
            else if (current.is_array())
              for (const auto& element : current.get_array()) self(self, element);
          };
          visit_all(visit_all, node);
        } else if constexpr (std::is_same_v<T, Filter>) {
          if (node.is_array()) {
            for (const auto& element : node.get_array())
              if (filter_matches(*kind.expression, element, scope))
                collect(segments, i + 1, element, scope, out);
          } else if (node.is_object()) {
            for (const auto& member : node.get_object())
              if (filter_matches(*kind.expression, member.value(), scope))
                collect(segments, i + 1, member.value(), scope, out);
          }
        }
      },
      segment.kind);
}

const json::value* operand_value(const FilterOperand& operand, const json::value& node,
                                 const PathScope& scope) {
  if (!operand.path) return &operand.literal;
  if (operand.relative) return operand.path->find(PathScope{node, scope.context, scope.variables});
  return operand.path->find(scope);
}

bool filter_matches(const FilterExpression& expression, const json::value& node,
                    const PathScope& scope) {
  using Op = FilterExpression::Op;
  switch (expression.op) {
    case Op::and_:
      return std::all_of(expression.children.begin(), expression.children.end(),
                         [&](const auto& c) { return filter_matches(c, node, scope); });
    case Op::or_:
      return std::any_of(expression.children.begin(), expression.children.end(),
                         [&](const auto& c) { return filter_matches(c, node, scope); });
    case Op::not_: return !filter_matches(expression.children[0], node, scope);
    case Op::exists: return operand_value(expression.operands[0], node, scope) != nullptr;
    default: break;
  }
  const json::value* a = operand_value(expression.operands[0], node, scope);
  const json::value* b = operand_value(expression.operands[1], node, scope);
  if (!a || !b) return expression.op == Op::ne;
  int order = 0;
  bool comparable = true;
  if (a->is_number() && b->is_number()) {
    order = compare_numbers(*a, *b);
  } else if (a->is_string() && b->is_string()) {
    order = a->get_string().subview().compare(b->get_string().subview());
    order = order < 0 ? -1 : order > 0 ? 1 : 0;
  } else {
    comparable = false;
  }
  switch (expression.op) {
    case Op::eq: return comparable ? order == 0 : *a == *b;
    case Op::ne: return comparable ? order != 0 : *a != *b;
    case Op::lt: return comparable && order < 0;
    case Op::le: return comparable && order <= 0;
    case Op::gt: return comparable && order > 0;
    case Op::ge: return comparable && order >= 0;
    default: return false;
  }
}

}  // namespace

const json::value* JsonPath::find(const PathScope& scope) const {
  if (!compiled_->unevaluable.empty()) return nullptr;
  const json::value* node = root_of(*this, scope);
  if (!node || !compiled_->definite) return nullptr;
  for (const auto& segment : compiled_->segments) {
    node = step_definite(*node, segment);
    if (!node) return nullptr;
  }
  return node;
}

boost::system::result<json::value, PathMiss> JsonPath::evaluate(const PathScope& scope) const {
  if (!compiled_->unevaluable.empty()) return PathMiss{compiled_->unevaluable};
  const json::value* node = root_of(*this, scope);
  if (!node) {
    return PathMiss{compiled_->root == Root::variable
                        ? fmt::format("The variable '{}' is not defined", compiled_->variable)
                        : std::string("No results for path: $")};
  }
  const auto& segments = compiled_->segments;
  if (compiled_->definite) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const json::value* next = step_definite(*node, segments[i]);
      if (!next) {
        bool leaf = i + 1 == segments.size();
        if (leaf || std::holds_alternative<Index>(segments[i].kind))
          return PathMiss{fmt::format("No results for path: {}", normalized(segments, segments.size()))};
        return PathMiss{fmt::format("Missing property in path {}", normalized(segments, i + 1))};
      }
      node = next;
    }
    return *node;
  }
  json::array out;
  collect(segments, 0, *node, scope, out);
  return json::value(std::move(out));
}

bool JsonPath::assign(json::value& target, json::value value) const {
  json::value* node = &target;
  const auto& segments = compiled_->segments;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = segments[i];
    if (auto* child = std::get_if<Child>(&segment.kind)) {
      if (!node->is_object()) return false;
      auto& object = node->get_object();
      if (i + 1 == segments.size()) {
        object[child->name] = std::move(value);
        return true;
      }
      auto it = object.find(child->name);
      if (it == object.end()) it = object.emplace(child->name, json::object()).first;
      node = &it->value();
    } else if (auto* index = std::get_if<Index>(&segment.kind)) {
      if (!node->is_array()) return false;
      auto& array = node->get_array();
      std::int64_t k = index->index < 0 ? static_cast<std::int64_t>(array.size()) + index->index
                                        : index->index;
      if (k < 0 || k >= static_cast<std::int64_t>(array.size())) return false;
      node = &array[static_cast<std::size_t>(k)];
      if (i + 1 == segments.size()) {
        *node = std::move(value);
        return true;
      }
    } else {
      return false;
    }
  }
  target = std::move(value);
  return true;
}

asl::Failure field_path_not_found(const JsonPath& path, std::string_view field,
                                  const json::value& input) {
  if (!path.unevaluable().empty())
    return asl::Failure(std::string(asl::error_name::kRuntime),
                        fmt::format("The JSONPath '{}' specified for the field '{}' cannot be evaluated: {}",
                                    path.text(), field, path.unevaluable()));
  return asl::Failure(std::string(asl::error_name::kRuntime),
                      fmt::format("The JSONPath '{}' specified for the field '{}' could not be "
                                  "found in the input '{}'",
                                  path.text(), field, serialize_json(input)));
}

}  // namespace flowstate::data
