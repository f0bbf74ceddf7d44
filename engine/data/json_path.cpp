#include "engine/data/json_path.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/json_path_syntax.hpp"

namespace flowstate::data {

namespace json = boost::json;
using namespace path_syntax;

namespace {

class PathParser {
 public:
  /// Parses `text` from `start`; offsets in messages count from the beginning of `text`.
  PathParser(std::string_view text, std::size_t start) : text_(text), pos_(start) {}

  std::string error;
  /// Why the path parses but cannot be evaluated ("" when it can): see parse_operand.
  std::string unevaluable;

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
    else if (auto number = jayway_number(token))
      out.literal = std::move(*number);
    else if (is_bare_word(token)) {
      // `@.Name==Receipt`: AWS accepts such a definition (published AWS samples), but its
      // JsonPath library (Jayway) reads an unquoted word as a number and cannot compile the
      // filter, so evaluating the path fails there; the run fails with States.Runtime here.
      if (unevaluable.empty())
        unevaluable = fmt::format("the filter compares with '{}', which is neither a path nor a "
                                  "literal; quote a string: '{}'",
                                  token, token);
      out.literal = json::value(token);
    } else {
      return fail(fmt::format("unexpected '{}' in filter at offset {}", token, start));
    }
    return true;
  }

  /// A number as Jayway reads one in a filter: the characters 0-9 . e E - handed to Java's
  /// BigDecimal, which also takes what JSON does not (`.85`, `5.`, `007`, `-.5`), so
  /// `[?(@.Score > .85)]` in a published AWS sample compares with 0.85 there.
  static std::optional<json::value> jayway_number(std::string_view token) {
    if (auto number = parse_json(token); number && number->is_number()) return std::move(*number);
    std::string_view rest = token;
    std::string text;
    if (!rest.empty() && rest.front() == '-') text += '-', rest.remove_prefix(1);
    const auto digits = [&rest] {
      std::size_t n = 0;
      while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
      std::string_view run = rest.substr(0, n);
      rest.remove_prefix(n);
      return run;
    };
    std::string_view whole = digits();
    std::string_view fraction;
    bool point = !rest.empty() && rest.front() == '.';
    if (point) rest.remove_prefix(1), fraction = digits();
    if (whole.empty() && fraction.empty()) return std::nullopt;
    whole.remove_prefix(std::min(whole.find_first_not_of('0'), whole.size()));
    text += whole.empty() ? "0" : std::string(whole);
    if (!fraction.empty()) text += '.', text += fraction;
    if (!rest.empty() && (rest.front() == 'e' || rest.front() == 'E')) {
      rest.remove_prefix(1);
      text += 'e';
      if (!rest.empty() && rest.front() == '-') text += '-', rest.remove_prefix(1);
      std::string_view exponent = digits();
      if (exponent.empty()) return std::nullopt;
      text += exponent;
    }
    if (!rest.empty()) return std::nullopt;
    auto number = parse_json(text);
    if (!number || !number->is_number()) return std::nullopt;
    return std::move(*number);
  }

  static bool is_bare_word(std::string_view token) {
    return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

bool path_syntax::is_definite_segment(const JsonPath::Segment& segment) {
  return std::holds_alternative<Child>(segment.kind) || std::holds_alternative<Index>(segment.kind);
}

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
  // Spaces around a path are ignored, as AWS's JsonPath library (Jayway) trims the text
  // before compiling it: "$$.Execution.Name " in a published AWS sample reads the name.
  constexpr std::string_view kSpaces = " \t\r\n";
  const auto first = text.find_first_not_of(kSpaces);
  text = first == std::string_view::npos
             ? std::string_view()
             : text.substr(first, text.find_last_not_of(kSpaces) - first + 1);
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
  path.compiled_->unevaluable = std::move(rest.unevaluable);
  path.compiled_->definite = std::all_of(path.compiled_->segments.begin(),
                                         path.compiled_->segments.end(), is_definite_segment);
  return path;
}

JsonPath::Root JsonPath::root() const { return compiled_->root; }
const std::string& JsonPath::variable() const { return compiled_->variable; }
bool JsonPath::is_definite() const { return compiled_->definite; }
const std::string& JsonPath::unevaluable() const { return compiled_->unevaluable; }
bool JsonPath::is_reference_path() const {
  return compiled_->definite && compiled_->root == Root::input;
}

}  // namespace flowstate::data
