#include "engine/definition/strict_json_reader.hpp"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include "engine/data/utf8_encoding.hpp"

namespace flowstate::definition {

namespace {

// Definitions written as JSON — the common case, what AWS exports — are read here instead of
// through yaml-cpp (~5 times the instructions for the same file, a tenth of a one-state
// `flowstate run`), and yaml-cpp cannot read some JSON (a \ud83d\ude02 surrogate pair). The
// events and marks are yaml-cpp's: line and column 0-based, columns in bytes, a tab one column.
class StrictJsonReader {
 public:
  StrictJsonReader(std::string_view text, YAML::EventHandler& events) : text_(text), events_(events) {}

  std::optional<JsonStop> read() {
    skip_space();
    if (at_end()) return stop(JsonStop::Kind::not_json, mark_, "the text holds no JSON value");
    events_.OnDocumentStart(mark_);
    if (!value(0)) return stop_;
    skip_space();
    if (!at_end()) return stop(JsonStop::Kind::not_json, mark_, unexpected("nothing after the JSON value"));
    events_.OnDocumentEnd();
    return std::nullopt;
  }

 private:
  static constexpr int kMaxDepth = 400;  // below yaml-cpp's and the builder's limits

  bool at_end() const { return mark_.pos >= static_cast<int>(text_.size()); }
  char peek(std::size_t ahead = 0) const {
    std::size_t at = static_cast<std::size_t>(mark_.pos) + ahead;
    return at < text_.size() ? text_[at] : '\0';
  }
  void advance() {
    if (peek() == '\n') {
      ++mark_.line;
      mark_.column = 0;
    } else {
      ++mark_.column;
    }
    ++mark_.pos;
  }
  // JSON's whitespace; a carriage return only before a line feed (yaml-cpp breaks lines at a
  // lone one, JSON does not, so such a text is left to yaml-cpp).
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\n' || peek() == '\t' || (peek() == '\r' && peek(1) == '\n')))
      advance();
  }
  bool take(char c) {
    if (at_end() || peek() != c) return false;
    advance();
    return true;
  }

  JsonStop stop(JsonStop::Kind kind, const YAML::Mark& at, std::string reason) {
    stop_ = JsonStop{kind, static_cast<std::size_t>(at.line) + 1, static_cast<std::size_t>(at.column) + 1,
                     std::move(reason)};
    return *stop_;
  }
  bool fail(JsonStop::Kind kind, const YAML::Mark& at, std::string reason) {
    if (!stop_) stop(kind, at, std::move(reason));
    return false;
  }
  bool fail_here(std::string_view expected) {
    if (peek() == '\r') return fail(JsonStop::Kind::unsupported, mark_, "a carriage return without a line feed");
    return fail(JsonStop::Kind::not_json, mark_, unexpected(expected));
  }

  // What is at the mark, where JSON expects `expected`.
  std::string unexpected(std::string_view expected) const {
    if (at_end()) return fmt::format("the text ends where JSON expects {}", expected);
    char c = peek();
    if (c == '\'') return "a single-quoted string; JSON strings are in double quotes";
    if (c == '#' || (c == '/' && (peek(1) == '/' || peek(1) == '*'))) return "a comment; JSON has no comments";
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return fmt::format("the byte 0x{:02x} where JSON expects {}", static_cast<unsigned char>(c), expected);
    return fmt::format("'{}' where JSON expects {}", c, expected);
  }

  bool value(int depth) {
    if (depth > kMaxDepth) return fail(JsonStop::Kind::unsupported, mark_, "nested deeper than the JSON reader goes");
    YAML::Mark start = mark_;
    switch (peek()) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': {
        std::string text;
        if (!string(text)) return false;
        events_.OnScalar(start, "!", YAML::NullAnchor, text);
        return true;
      }
      default: break;
    }
    std::size_t begin = static_cast<std::size_t>(mark_.pos);
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '-' || peek() == '+' ||
                         peek() == '.'))
      advance();
    std::string word(text_.substr(begin, static_cast<std::size_t>(mark_.pos) - begin));
    if (word.empty()) return fail_here("a value");
    if (word == "null") {
      events_.OnNull(start, YAML::NullAnchor);
      return true;
    }
    if (word != "true" && word != "false" && !json_number(word))
      return fail(JsonStop::Kind::not_json, start,
                  fmt::format("'{}' is not a JSON value (a number, true, false, null, or a string in double "
                              "quotes)",
                              word));
    events_.OnScalar(start, "?", YAML::NullAnchor, word);
    return true;
  }

  bool object(int depth) {
    events_.OnMapStart(mark_, "?", YAML::NullAnchor, YAML::EmitterStyle::Flow);
    bool read = elements('}', [&] {
      if (peek() != '"') return fail_here("a key in double quotes");
      YAML::Mark key_mark = mark_;
      std::string key;
      if (!string(key)) return false;
      events_.OnScalar(key_mark, "!", YAML::NullAnchor, key);
      skip_space();
      if (!take(':')) return fail_here("':' after the key");
      skip_space();
      return value(depth + 1);
    });
    if (read) events_.OnMapEnd();
    return read;
  }

  bool array(int depth) {
    events_.OnSequenceStart(mark_, "?", YAML::NullAnchor, YAML::EmitterStyle::Flow);
    bool read = elements(']', [&] { return value(depth + 1); });
    if (read) events_.OnSequenceEnd();
    return read;
  }

  // From the opening '{' or '[' to `closer`: the comma-separated elements `element` reads.
  template <class Element>
  bool elements(char closer, Element&& element) {
    advance();
    skip_space();
    if (take(closer)) return true;
    for (;;) {
      if (!element()) return false;
      skip_space();
      if (take(closer)) return true;
      YAML::Mark comma = mark_;
      if (!take(',')) return fail_here(closer == '}' ? "',' or '}'" : "',' or ']'");
      skip_space();
      if (peek() == closer)
        return fail(JsonStop::Kind::not_json, comma,
                    fmt::format("a comma before '{}' (a trailing comma); JSON allows none", closer));
    }
  }

  bool string(std::string& out) {
    advance();  // the opening quote
    while (!at_end()) {
      YAML::Mark at = mark_;
      auto c = static_cast<unsigned char>(peek());
      if (c < 0x20)
        return fail(JsonStop::Kind::not_json, at,
                    "a control character in a string; JSON writes it as an escape (\\n, \\t, \\u0001)");
      if (c >= 0x80) {
        if (!utf8_character(out)) return fail(JsonStop::Kind::not_json, at, "bytes that are not UTF-8 text");
        continue;
      }
      advance();
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      char escaped = peek();
      advance();
      switch (escaped) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u':
          if (!unicode_escape(at, out)) return false;
          break;
        default:
          return fail(JsonStop::Kind::not_json, at,
                      "an escape JSON does not have (it has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)");
      }
    }
    return fail_here("the '\"' that closes the string");
  }

  // The four hex digits after "\u"; nullopt when they are not there.
  std::optional<std::uint32_t> hex4() {
    std::uint32_t unit = 0;
    for (int i = 0; i < 4; ++i) {
      char h = peek();
      if (!std::isxdigit(static_cast<unsigned char>(h))) return std::nullopt;
      unit = unit * 16 + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                        ? h - '0'
                                                        : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
      advance();
    }
    return unit;
  }

  // After "\u" (the backslash at `at`): one character, or a surrogate pair as one.
  bool unicode_escape(const YAML::Mark& at, std::string& out) {
    auto unit = hex4();
    if (!unit) return fail(JsonStop::Kind::not_json, at, "\\u without four hex digits after it");
    std::uint32_t code = *unit;
    if (code >= 0xdc00 && code <= 0xdfff) return lone_surrogate(at, code);
    if (code >= 0xd800 && code <= 0xdbff) {
      if (peek() != '\\' || peek(1) != 'u') return lone_surrogate(at, code);
      advance();
      advance();
      auto low = hex4();
      if (!low || *low < 0xdc00 || *low > 0xdfff) return lone_surrogate(at, code);
      code = 0x10000 + ((code - 0xd800) << 10) + (*low - 0xdc00);
    }
    data::append_utf8(out, static_cast<char32_t>(code));
    return true;
  }

  bool lone_surrogate(const YAML::Mark& at, std::uint32_t unit) {
    return fail(JsonStop::Kind::unreadable, at,
                fmt::format("\\u{:04x} is half of a UTF-16 surrogate pair, and its other half does not follow "
                            "it (a high one, \\ud800-\\udbff, comes first, then a low one, \\udc00-\\udfff); "
                            "write the pair, or the character itself",
                            unit));
  }

  // One UTF-8 encoded character (well-formed as RFC 3629 has it) copied to `out`.
  bool utf8_character(std::string& out) {
    auto lead = static_cast<unsigned char>(peek());
    std::size_t length = lead >= 0xf5 ? 0 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    if (length == 0) return false;
    std::uint32_t code = lead & (length == 2 ? 0x1f : length == 3 ? 0x0f : 0x07);
    for (std::size_t i = 1; i < length; ++i) {
      auto next = static_cast<unsigned char>(peek(i));
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    for (std::size_t i = 0; i < length; ++i) {
      out.push_back(peek());
      advance();
    }
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool json_number(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
      std::size_t from = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      return i > from;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return false;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == s.size();
  }

  std::string_view text_;
  YAML::EventHandler& events_;
  YAML::Mark mark_;
  std::optional<JsonStop> stop_;
};

}  // namespace

std::optional<JsonStop> read_strict_json(std::string_view text, YAML::EventHandler& events) {
  return StrictJsonReader(text, events).read();
}

}  // namespace flowstate::definition
