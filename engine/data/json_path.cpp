#include "engine/data/json_path.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"

namespace flowstate::data {

namespace json = boost::json;

namespace {

struct Child {
  std::string name;
};
struct Index {
  std::int64_t index;
};
struct Wildcard {};
struct Slice {
  std::optional<std::int64_t> start, end;
  std::int64_t step = 1;
};
struct Union {
  std::vector<std::variant<std::string, std::int64_t>> members;
};
struct DeepScan {
  std::optional<std::string> name;  // nullopt: every node ("..*")
};

// A filter expression "[?(...)]": comparisons of @-relative paths with literals.
struct FilterOperand;
struct FilterExpression {
  enum class Op { exists, eq, ne, lt, le, gt, ge, and_, or_, not_ } op = Op::exists;
  std::vector<FilterOperand> operands;
  std::vector<FilterExpression> children;  // and_ / or_ / not_
};
struct FilterOperand {
  // a relative path (@...) or absolute path ($...) or a literal
  std::optional<JsonPath> path;
  bool relative = false;
  json::value literal;
};
struct Filter {
  std::shared_ptr<FilterExpression> expression;
};

}  // namespace

struct JsonPath::Segment {
  std::variant<Child, Index, Wildcard, Slice, Union, DeepScan, Filter> kind;
};

struct JsonPath::Compiled {
  Root root = Root::input;
  std::string variable;
  std::vector<Segment> segments;
  bool definite = true;
};

namespace {

class PathParser {
 public:
  /// Parses `text` from `start`; offsets in messages count from the beginning of `text`.
  PathParser(std::string_view text, std::size_t start) : text_(text), pos_(start) {}

  std::string error;

  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  std::size_t pos() const { return pos_; }

  /// The character at the cursor, for messages ("end of path" past the end).
  std::string current() const {
    return at_end() ? std::string("end of path") : fmt::format("'{}'", peek());
  }

  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }

  bool parse_segments(std::vector<JsonPath::Segment>& out, bool stop_at_filter_end) {
    while (!at_end()) {
      char c = peek();
      if (stop_at_filter_end && (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' ||
                                 c == '>' || c == '&' || c == '|'))
        return true;
      if (c == '.') {
        if (peek(1) == '.') {
          pos_ += 2;
          if (peek() == '*') {
            ++pos_;
            out.push_back({DeepScan{}});
          } else if (peek() == '[') {
            out.push_back({DeepScan{}});
            continue;
          } else {
            std::string name = read_dot_name(stop_at_filter_end);
            if (name.empty()) return fail(fmt::format("expected a name after '..' at offset {}", pos_));
            out.push_back({DeepScan{std::move(name)}});
          }
          continue;
        }
        ++pos_;
        if (peek() == '*') {
          ++pos_;
          out.push_back({Wildcard{}});
          continue;
        }
        // Jayway accepts a bracket after the dot: "$.abc.['def ghi']" (AWS's own example).
        if (peek() == '[') continue;
        std::string name = read_dot_name(stop_at_filter_end);
        if (name.empty()) return fail(fmt::format("expected a name after '.' at offset {}", pos_));
        out.push_back({Child{std::move(name)}});
      } else if (c == '[') {
        ++pos_;
        if (!parse_bracket(out)) return false;
      } else {
        return fail(fmt::format("unexpected {} at offset {}", current(), pos_));
      }
    }
    return true;
  }

 private:
  std::string read_dot_name(bool stop_at_filter_end) {
    std::size_t start = pos_;
    while (!at_end()) {
      char c = peek();
      if (c == '.' || c == '[') break;
      if (stop_at_filter_end && (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' ||
                                 c == '>' || c == '&' || c == '|'))
        break;
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  void skip_spaces() {
    while (peek() == ' ') ++pos_;
  }

  bool read_quoted(std::string& out) {
    char quote = peek();
    ++pos_;
    while (!at_end() && peek() != quote) {
      if (peek() == '\\' && peek(1) == quote) {
        out.push_back(quote);
        pos_ += 2;
        continue;
      }
      out.push_back(peek());
      ++pos_;
    }
    if (at_end()) return fail("unterminated quoted name");
    ++pos_;
    return true;
  }

  std::optional<std::int64_t> read_int() {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    std::int64_t value = 0;
    auto [p, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec != std::errc() || p != text_.data() + pos_) {
      pos_ = start;
      return std::nullopt;
    }
    return value;
  }

  bool parse_bracket(std::vector<JsonPath::Segment>& out) {
    skip_spaces();
    char c = peek();
    if (c == '*') {
      ++pos_;
      skip_spaces();
      if (peek() != ']') return fail(fmt::format("expected ']' at offset {}, found {}", pos_, current()));
      ++pos_;
      out.push_back({Wildcard{}});
      return true;
    }
    if (c == '?') return parse_filter(out);
    if (c == '\'' || c == '"') {
      Union names;
      while (true) {
        std::string name;
        if (!read_quoted(name)) return false;
        names.members.emplace_back(std::move(name));
        skip_spaces();
        if (peek() == ',') {
          ++pos_;
          skip_spaces();
          if (peek() != '\'' && peek() != '"') return fail("expected a quoted name after ','");
          continue;
        }
        break;
      }
      if (peek() != ']') return fail(fmt::format("expected ']' at offset {}, found {}", pos_, current()));
      ++pos_;
      if (names.members.size() == 1)
        out.push_back({Child{std::get<std::string>(names.members[0])}});
      else
        out.push_back({std::move(names)});
      return true;
    }
    // numbers: index, union of indexes, or slice
    std::optional<std::int64_t> first = read_int();
    skip_spaces();
    if (peek() == ':') {
      Slice slice;
      slice.start = first;
      ++pos_;
      skip_spaces();
      slice.end = read_int();
      skip_spaces();
      if (peek() == ':') {
        ++pos_;
        skip_spaces();
        auto step = read_int();
        if (step) slice.step = *step;
        if (slice.step == 0) return fail("slice step must not be 0");
      }
      skip_spaces();
      if (peek() != ']') return fail(fmt::format("expected ']' at offset {}, found {}", pos_, current()));
      ++pos_;
      out.push_back({slice});
      return true;
    }
    if (!first) return fail(fmt::format("unexpected {} at offset {}", current(), pos_));
    if (peek() == ']') {
      ++pos_;
      out.push_back({Index{*first}});
      return true;
    }
    Union indexes;
    indexes.members.emplace_back(*first);
    while (peek() == ',') {
      ++pos_;
      skip_spaces();
      auto next = read_int();
      if (!next) return fail(fmt::format("expected an index at offset {}", pos_));
      indexes.members.emplace_back(*next);
      skip_spaces();
    }
    if (peek() != ']') return fail(fmt::format("expected ']' at offset {}, found {}", pos_, current()));
    ++pos_;
    out.push_back({std::move(indexes)});
    return true;
  }

  bool parse_filter(std::vector<JsonPath::Segment>& out) {
    ++pos_;  // '?'
    skip_spaces();
    if (peek() != '(') return fail("expected '(' after '?'");
    ++pos_;
    auto expression = std::make_shared<FilterExpression>();
    if (!parse_or(*expression)) return false;
    skip_spaces();
    if (peek() != ')') return fail(fmt::format("expected ')' at offset {}", pos_));
    ++pos_;
    skip_spaces();
    if (peek() != ']') return fail(fmt::format("expected ']' at offset {}, found {}", pos_, current()));
    ++pos_;
    out.push_back({Filter{std::move(expression)}});
    return true;
  }

  bool parse_or(FilterExpression& out) {
    FilterExpression left;
    if (!parse_and(left)) return false;
    skip_spaces();
    if (!(peek() == '|' && peek(1) == '|')) {
      out = std::move(left);
      return true;
    }
    out.op = FilterExpression::Op::or_;
    out.children.push_back(std::move(left));
    while (peek() == '|' && peek(1) == '|') {
      pos_ += 2;
      FilterExpression next;
      if (!parse_and(next)) return false;
      out.children.push_back(std::move(next));
      skip_spaces();
    }
    return true;
  }

  bool parse_and(FilterExpression& out) {
    FilterExpression left;
    if (!parse_unary(left)) return false;
    skip_spaces();
    if (!(peek() == '&' && peek(1) == '&')) {
      out = std::move(left);
      return true;
    }
    out.op = FilterExpression::Op::and_;
    out.children.push_back(std::move(left));
    while (peek() == '&' && peek(1) == '&') {
      pos_ += 2;
      FilterExpression next;
      if (!parse_unary(next)) return false;
      out.children.push_back(std::move(next));
      skip_spaces();
    }
    return true;
  }

  bool parse_unary(FilterExpression& out) {
    skip_spaces();
    if (peek() == '!' && peek(1) != '=') {
      ++pos_;
      FilterExpression inner;
      if (!parse_unary(inner)) return false;
      out.op = FilterExpression::Op::not_;
      out.children.push_back(std::move(inner));
      return true;
    }
    if (peek() == '(') {
      ++pos_;
      if (!parse_or(out)) return false;
      skip_spaces();
      if (peek() != ')') return fail(fmt::format("expected ')' at offset {}", pos_));
      ++pos_;
      return true;
    }
    FilterOperand left;
    if (!parse_operand(left)) return false;
    skip_spaces();
    using Op = FilterExpression::Op;
    std::optional<Op> op;
    if (peek() == '=' && peek(1) == '=') op = Op::eq, pos_ += 2;
    else if (peek() == '!' && peek(1) == '=') op = Op::ne, pos_ += 2;
    else if (peek() == '<' && peek(1) == '=') op = Op::le, pos_ += 2;
    else if (peek() == '>' && peek(1) == '=') op = Op::ge, pos_ += 2;
    else if (peek() == '<') op = Op::lt, pos_ += 1;
    else if (peek() == '>') op = Op::gt, pos_ += 1;
    out.operands.push_back(std::move(left));
    if (!op) {
      out.op = Op::exists;
      return true;
    }
    out.op = *op;
    skip_spaces();
    FilterOperand right;
    if (!parse_operand(right)) return false;
    out.operands.push_back(std::move(right));
    return true;
  }

  bool parse_operand(FilterOperand& out) {
    skip_spaces();
    char c = peek();
    if (c == '@' || c == '$') {
      std::size_t start = pos_;
      ++pos_;
      std::vector<JsonPath::Segment> ignored;
      if (!parse_segments(ignored, /*stop_at_filter_end=*/true)) return false;
      std::string text(text_.substr(start, pos_ - start));
      out.relative = c == '@';
      if (out.relative) text[0] = '$';
      auto compiled = JsonPath::compile(text);
      if (!compiled) return fail(compiled.error());
      out.path.emplace(std::move(*compiled));
      return true;
    }
    if (c == '\'' || c == '"') {
      std::string s;
      if (!read_quoted(s)) return false;
      out.literal = json::value(s);
      return true;
    }
    std::size_t start = pos_;
    while (!at_end() && peek() != ' ' && peek() != ')' && peek() != '=' && peek() != '!' &&
           peek() != '<' && peek() != '>' && peek() != '&' && peek() != '|')
      ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    if (token == "true") out.literal = true;
    else if (token == "false") out.literal = false;
    else if (token == "null") out.literal = nullptr;
    else {
      auto number = parse_json(token);
      if (!number || !number->is_number())
        return fail(fmt::format("unexpected '{}' in filter at offset {}", token, start));
      out.literal = std::move(*number);
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_definite_segment(const JsonPath::Segment& segment) {
  return std::holds_alternative<Child>(segment.kind) || std::holds_alternative<Index>(segment.kind);
}

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

JsonPath::JsonPath() = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::~JsonPath() = default;
JsonPath::JsonPath(const JsonPath& other)
    : text_(other.text_),
      compiled_(other.compiled_ ? std::make_unique<Compiled>(*other.compiled_) : nullptr) {}
JsonPath& JsonPath::operator=(const JsonPath& other) {
  if (this != &other) *this = JsonPath(other);
  return *this;
}

boost::system::result<JsonPath, std::string> JsonPath::compile(std::string_view text) {
  if (text.empty() || text.front() != '$')
    return std::string("a path must start with '$'");
  JsonPath path;
  path.text_ = std::string(text);
  path.compiled_ = std::make_unique<Compiled>();
  std::size_t start = 1;
  if (text.size() > 1 && text[1] == '$') {
    path.compiled_->root = Root::context;
    start = 2;
  } else if (text.size() > 1 && text[1] != '.' && text[1] != '[') {
    path.compiled_->root = Root::variable;
    std::size_t end = text.find_first_of(".[", 1);
    if (end == std::string_view::npos) end = text.size();
    path.compiled_->variable = std::string(text.substr(1, end - 1));
    start = end;
  }
  PathParser rest(text, start);
  if (!rest.parse_segments(path.compiled_->segments, /*stop_at_filter_end=*/false))
    return fmt::format("'{}' is not a valid path: {}", text, rest.error);
  path.compiled_->definite = std::all_of(path.compiled_->segments.begin(),
                                         path.compiled_->segments.end(), is_definite_segment);
  return path;
}

JsonPath::Root JsonPath::root() const { return compiled_->root; }
const std::string& JsonPath::variable() const { return compiled_->variable; }
bool JsonPath::is_definite() const { return compiled_->definite; }
bool JsonPath::is_reference_path() const {
  return compiled_->definite && compiled_->root == Root::input;
}

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
  const json::value* node = root_of(*this, scope);
  if (!node || !compiled_->definite) return nullptr;
  for (const auto& segment : compiled_->segments) {
    node = step_definite(*node, segment);
    if (!node) return nullptr;
  }
  return node;
}

boost::system::result<json::value, PathMiss> JsonPath::evaluate(const PathScope& scope) const {
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

}  // namespace flowstate::data
