#include "engine/data/intrinsic_call.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "engine/asl/limits.hpp"
#include "engine/data/intrinsics.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/json_path.hpp"

namespace flowstate::data {

namespace json = boost::json;

// One node of the call tree: a literal, a path, or a call with its argument nodes.
struct IntrinsicCall::Node {
  enum class Kind { literal, path, call };
  Kind kind = Kind::literal;
  json::value literal;              // Kind::literal
  std::string raw;                  // Kind::literal string: its text between the quotes
  std::optional<JsonPath> path;     // Kind::path
  const intrinsics::Intrinsic* function = nullptr;  // Kind::call
  std::vector<Node> args;                           // Kind::call
  /// States.Format with a literal template: compiled once here, so escaped braces stay
  /// literal and the placeholder count is checked at load.
  std::optional<intrinsics::FormatTemplate> format;
};

namespace intrinsics {

const Intrinsic* find_intrinsic(std::string_view name) {
  for (const auto& intrinsic : kIntrinsics) {
    if (intrinsic.name == name) return &intrinsic;
  }
  return nullptr;
}

std::string describe_arity(const Intrinsic& intrinsic) {
  auto plural = [](std::size_t n) { return n == 1 ? "argument" : "arguments"; };
  if (intrinsic.max_args == kVariadic) {
    return fmt::format("takes at least {} {}", intrinsic.min_args, plural(intrinsic.min_args));
  }
  if (intrinsic.min_args == intrinsic.max_args) {
    return fmt::format("takes {} {}", intrinsic.min_args, plural(intrinsic.min_args));
  }
  return fmt::format("takes {} or {} arguments", intrinsic.min_args, intrinsic.max_args);
}

asl::Failure invalid_argument(std::string_view function, std::string detail) {
  return asl::make_failure(std::string(asl::error_name::kRuntime),
                           fmt::format("Invalid arguments in {}: {}", function, detail));
}

}  // namespace intrinsics

namespace {

using Node = IntrinsicCall::Node;

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Recursive-descent parser of the spec's grammar (states-language.net, "Intrinsic Functions"):
//   call := name '(' [arg (',' arg)*] ')'
//   arg  := 'string' | number | null | true | false | path | call
// `true`/`false` are not in the spec's grammar, but AWS accepts them: the recorded case
// json_manipulation.json_merge-00 calls States.JsonMerge($.a, $.b, false).
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  boost::system::result<Node, std::string> parse() {
    skip_space();
    auto root = parse_call(1);
    if (!root) return root;
    skip_space();
    if (pos_ != text_.size()) {
      return fmt::format("unexpected '{}' after the end of the call at offset {}", text_[pos_],
                         pos_);
    }
    return root;
  }

 private:
  boost::system::result<Node, std::string> parse_call(int depth) {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) return fmt::format("expected an intrinsic function name at offset {}", start);
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '(') {
      return fmt::format("expected '(' after '{}' at offset {}", name, pos_);
    }
    ++pos_;
    const intrinsics::Intrinsic* function = intrinsics::find_intrinsic(name);
    if (!function) return fmt::format("unknown intrinsic function '{}'", name);
    if (depth > asl::kMaxIntrinsicNesting) {
      return fmt::format("intrinsic functions nest at most {} deep; '{}' is nested {} deep",
                         asl::kMaxIntrinsicNesting, name, depth);
    }
    Node node;
    node.kind = Node::Kind::call;
    node.function = function;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        auto arg = parse_argument(depth);
        if (!arg) return arg;
        node.args.push_back(std::move(*arg));
        skip_space();
        if (pos_ >= text_.size()) return fmt::format("missing ')' to close '{}('", name);
        if (text_[pos_] == ')') {
          ++pos_;
          break;
        }
        if (text_[pos_] != ',') {
          return fmt::format("expected ',' or ')' at offset {} in the arguments of '{}'", pos_,
                             name);
        }
        ++pos_;
      }
    }
    std::size_t count = node.args.size();
    if (count < function->min_args || count > function->max_args) {
      return fmt::format("{} {}, but {} {} given", name, intrinsics::describe_arity(*function),
                         count, count == 1 ? "was" : "were");
    }
    if (auto problem = check_arguments(node)) return *problem;
    return node;
  }

  boost::system::result<Node, std::string> parse_argument(int depth) {
    skip_space();
    if (pos_ >= text_.size()) return std::string("unexpected end of the call: missing argument");
    char c = text_[pos_];
    if (c == '\'') return parse_string();
    if (c == '$') return parse_path();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return parse_number();
    std::size_t start = pos_;
    std::size_t end = start;
    while (end < text_.size() && is_name_char(text_[end])) ++end;
    std::string_view word = text_.substr(start, end - start);
    std::size_t after = end;
    while (after < text_.size() && is_space(text_[after])) ++after;
    if (!word.empty() && (after >= text_.size() || text_[after] != '(')) {
      Node node;
      if (word == "null") {
        node.literal = nullptr;
      } else if (word == "true") {
        node.literal = true;
      } else if (word == "false") {
        node.literal = false;
      } else {
        return fmt::format("invalid argument '{}' at offset {}", word, start);
      }
      pos_ = end;
      return node;
    }
    if (word.empty()) return fmt::format("unexpected '{}' at offset {}", c, start);
    return parse_call(depth + 1);
  }

  // 'text' with the escapes \' \{ \} \\ (intrinsic-functions.html, "Reserved characters").
  // "If an open escape backslash \ is found ..., the interpreter will throw a runtime error";
  // we know it at load, so it is a load-time error here.
  boost::system::result<Node, std::string> parse_string() {
    std::size_t start = pos_++;
    Node node;
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) return fmt::format("unterminated string starting at offset {}", start);
      char c = text_[pos_];
      if (c == '\'') break;
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) {
          return fmt::format("open escape backslash at offset {}", pos_);
        }
        char next = text_[pos_ + 1];
        if (next != '\'' && next != '{' && next != '}' && next != '\\') {
          return fmt::format("invalid escape '\\{}' at offset {}: only \\', \\{{, \\}} and \\\\ "
                             "are escapes",
                             next, pos_);
        }
        value.push_back(next);
        pos_ += 2;
        continue;
      }
      value.push_back(c);
      ++pos_;
    }
    node.raw = std::string(text_.substr(start + 1, pos_ - start - 1));
    ++pos_;
    node.literal = json::string(value);
    return node;
  }

  boost::system::result<Node, std::string> parse_number() {
    std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    std::size_t digits = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    bool decimal = false;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      decimal = true;
      ++pos_;
      std::size_t fraction = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      if (pos_ == fraction) return fmt::format("invalid number at offset {}", start);
    }
    std::string_view number = text_.substr(start, pos_ - start);
    if (pos_ == digits || (pos_ < text_.size() && is_name_char(text_[pos_]))) {
      return fmt::format("invalid number at offset {}", start);
    }
    Node node;
    const char* first = number.data();
    const char* last = number.data() + number.size();
    if (!decimal) {
      std::int64_t i = 0;
      auto [end, err] = std::from_chars(first, last, i);
      if (err == std::errc() && end == last) {
        node.literal = i;
        return node;
      }
    }
    double d = 0;
    auto [end, err] = std::from_chars(first, last, d);
    if (err != std::errc() || end != last) {
      return fmt::format("number '{}' at offset {} is out of range", number, start);
    }
    node.literal = d;
    return node;
  }

  // A path runs to the next ',' or ')' outside brackets; brackets may hold quoted names and
  // filter expressions with their own parentheses and commas ("$[?(@.a > 1)]", "$['a,b']").
  boost::system::result<Node, std::string> parse_path() {
    std::size_t start = pos_;
    int brackets = 0;
    char quote = 0;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (quote) {
        if (c == '\\') {
          ++pos_;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (brackets > 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == '[') {
        ++brackets;
      } else if (c == ']') {
        --brackets;
      } else if (brackets == 0 && (c == ',' || c == ')')) {
        break;
      }
      ++pos_;
    }
    std::string_view text = text_.substr(start, pos_ - start);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    auto path = JsonPath::compile(text);
    if (!path) return fmt::format("invalid path '{}': {}", text, path.error());
    Node node;
    node.kind = Node::Kind::path;
    node.path = std::move(*path);
    return node;
  }

  // Rules AWS states per function that can be checked before anything runs.
  static std::optional<std::string> check_arguments(Node& call) {
    using intrinsics::IntrinsicId;
    std::string_view name = call.function->name;
    switch (call.function->id) {
      case IntrinsicId::format: {
        const Node& first = call.args.front();
        if (first.kind != Node::Kind::literal) return std::nullopt;
        if (!first.literal.is_string()) {
          return fmt::format("the first argument of {} must be a string", name);
        }
        auto format = intrinsics::parse_format_literal(first.raw);
        if (format.placeholders() != call.args.size() - 1) {
          return fmt::format("{} has {} '{{}}' placeholder{} but {} value{} to insert", name,
                             format.placeholders(), format.placeholders() == 1 ? "" : "s",
                             call.args.size() - 1, call.args.size() == 2 ? "" : "s");
        }
        call.format = std::move(format);
        return std::nullopt;
      }
      case IntrinsicId::json_to_string:
        // "Takes a single argument. This argument must be a Path" (intrinsic-functions.html).
        if (call.args.front().kind != Node::Kind::path) {
          return fmt::format("the argument of {} must be a path", name);
        }
        return std::nullopt;
      case IntrinsicId::json_merge: {
        // AWS supports only the shallow merge: "the third argument must be false".
        const Node& deep = call.args[2];
        if (deep.kind == Node::Kind::literal && deep.literal != json::value(false)) {
          return fmt::format("the third argument of {} must be false (deep merge is not "
                             "supported)",
                             name);
        }
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The document a path reads from, as AWS quotes it in its "could not be found" causes.
std::string describe_root(const JsonPath& path, const PathScope& scope) {
  switch (path.root()) {
    case JsonPath::Root::input:
      return serialize_json(scope.input);
    case JsonPath::Root::context:
      return scope.context ? serialize_json(*scope.context) : std::string("{}");
    case JsonPath::Root::variable:
      break;
  }
  return {};
}

boost::system::result<json::value, asl::Failure> evaluate_node(const Node& node,
                                                               const PathScope& scope) {
  switch (node.kind) {
    case Node::Kind::literal:
      return node.literal;
    case Node::Kind::path: {
      auto value = node.path->evaluate(scope);
      if (value) return std::move(*value);
      // The wording of AWS's missing-path cause for `.$` fields, without the field name,
      // which a nested argument does not have.
      if (node.path->root() == JsonPath::Root::variable) {
        return asl::make_failure(
            std::string(asl::error_name::kRuntime),
            fmt::format("The JSONPath '{}' could not be found: {}", node.path->text(),
                        value.error().detail));
      }
      return asl::make_failure(std::string(asl::error_name::kRuntime),
                               fmt::format("The JSONPath '{}' could not be found in the input '{}'",
                                           node.path->text(), describe_root(*node.path, scope)));
    }
    case Node::Kind::call:
      break;
  }
  // Most calls take a few arguments: keep them off the heap (this runs per transition).
  boost::container::small_vector<json::value, 4> args;
  for (const auto& arg : node.args) {
    auto value = evaluate_node(arg, scope);
    if (!value) return value.error();
    args.push_back(std::move(*value));
  }
  if (node.format) {
    return intrinsics::render_format(
        *node.format, std::span<const json::value>(args.data(), args.size()).subspan(1));
  }
  return node.function->function(std::span<json::value>(args.data(), args.size()));
}

}  // namespace

IntrinsicCall::IntrinsicCall() = default;
IntrinsicCall::IntrinsicCall(IntrinsicCall&&) noexcept = default;
IntrinsicCall& IntrinsicCall::operator=(IntrinsicCall&&) noexcept = default;
IntrinsicCall::~IntrinsicCall() = default;

IntrinsicCall::IntrinsicCall(const IntrinsicCall& other)
    : text_(other.text_), root_(other.root_ ? std::make_unique<Node>(*other.root_) : nullptr) {}

IntrinsicCall& IntrinsicCall::operator=(const IntrinsicCall& other) {
  if (this != &other) {
    IntrinsicCall copy(other);
    *this = std::move(copy);
  }
  return *this;
}

boost::system::result<IntrinsicCall, std::string> IntrinsicCall::compile(std::string_view text) {
  auto root = Parser(text).parse();
  if (!root) return root.error();
  IntrinsicCall call;
  call.text_ = std::string(text);
  call.root_ = std::make_unique<Node>(std::move(*root));
  return call;
}

bool IntrinsicCall::looks_like_call(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::size_t i = 0;
  while (i < text.size() && is_name_char(text[i])) ++i;
  if (i == 0) return false;
  while (i < text.size() && is_space(text[i])) ++i;
  return i < text.size() && text[i] == '(' && text.back() == ')';
}

boost::system::result<json::value, asl::Failure> IntrinsicCall::evaluate(
    const PathScope& scope) const {
  return evaluate_node(*root_, scope);
}

std::string_view IntrinsicCall::function_name() const { return root_->function->name; }

}  // namespace flowstate::data
