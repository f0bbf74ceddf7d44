#include "engine/data/json_codec.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "engine/asl/limits.hpp"

namespace flowstate::data {
namespace {

namespace json = boost::json;
using boost::system::error_code;

enum class NumberError { out_of_range = 1 };

// Builds values like boost::json::parser, but re-reads every double from its text with
// std::from_chars, which rounds correctly.
class ExactNumberHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  json::value_stack stack;
  std::string number;
  bool out_of_range = false;

  bool on_document_begin(error_code&) { stack.reset(); return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) { stack.push_array(n); return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t n, error_code&) { stack.push_object(n); return true; }
  bool on_string_part(json::string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_number_part(json::string_view s, error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, error_code&) {
    number.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, error_code&) {
    number.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double, json::string_view s, error_code& ec) {
    number.append(s.data(), s.size());
    double d = 0;
    auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), d);
    if (err == std::errc::result_out_of_range) {
      // from_chars reports underflow and overflow alike; strtod tells them apart.
      d = std::strtod(number.c_str(), nullptr);
    }
    number.clear();
    if (std::isinf(d)) {
      out_of_range = true;
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) { stack.push_bool(b); return true; }
  bool on_null(error_code&) { stack.push_null(); return true; }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }
};

JsonSyntaxError located_error(std::string_view text, std::size_t offset, std::string message) {
  JsonSyntaxError error{std::move(message), 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else {
      ++error.column;
    }
  }
  return error;
}

// What each byte becomes in a JSON string: 0 itself, 'u' a \u00XX escape, any other
// character the letter after a backslash.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = 'u';
  table['"'] = '"';
  table['\\'] = '\\';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['\b'] = 'b';
  table['\f'] = 'f';
  return table;
}();

// Quoted and escaped. Payloads in history events are JSON text inside JSON (a quote every
// few bytes), so the output's size is counted first and written through a pointer, instead
// of an append per escape.
void append_escaped(std::string& out, std::string_view s) {
  std::size_t extra = 0;
  for (char c : s) {
    char escape = kEscapes[static_cast<unsigned char>(c)];
    extra += escape == 0 ? 0 : escape == 'u' ? 5 : 1;
  }
  std::size_t start = out.size();
  out.resize(start + s.size() + extra + 2);
  char* p = out.data() + start;
  *p++ = '"';
  if (extra == 0) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      char escape = kEscapes[u];
      if (escape == 0) {
        *p++ = c;
      } else if (escape == 'u') {
        const char unicode[6] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        std::memcpy(p, unicode, 6);
        p += 6;
      } else {
        p[0] = '\\';
        p[1] = escape;
        p += 2;
      }
    }
  }
  *p = '"';
}

}  // namespace

boost::system::result<json::value, JsonSyntaxError> parse_json(std::string_view text) {
  json::parse_options options;
  options.max_depth = asl::kMaxJsonDepth;
  json::basic_parser<ExactNumberHandler> parser(options);
  error_code ec;
  std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    if (parser.handler().out_of_range)
      return located_error(text, consumed, "number out of range for a double");
    if (ec == json::error::too_deep)
      return located_error(text, consumed,
                           "nesting deeper than " + std::to_string(asl::kMaxJsonDepth) +
                               " levels");
    return located_error(text, consumed, ec.message());
  }
  if (!parser.done())
    return located_error(text, consumed, "incomplete JSON value");
  for (std::size_t i = consumed; i < text.size(); ++i) {
    char c = text[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return located_error(text, i, "unexpected text after the JSON value");
  }
  return parser.handler().stack.release();
}

void append_double(std::string& out, double value) {
  char buf[64];
  auto [end, err] = std::to_chars(buf, buf + sizeof buf, value);
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out.append(text);
  if (text.find_first_of(".eEn") == std::string_view::npos) out.append(".0");
}

void append_json(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: out.append("null"); break;
    case json::kind::bool_: out.append(value.get_bool() ? "true" : "false"); break;
    case json::kind::int64: {
      char buf[24];
      auto [end, err] = std::to_chars(buf, buf + sizeof buf, value.get_int64());
      out.append(buf, end);
      break;
    }
    case json::kind::uint64: {
      char buf[24];
      auto [end, err] = std::to_chars(buf, buf + sizeof buf, value.get_uint64());
      out.append(buf, end);
      break;
    }
    case json::kind::double_: append_double(out, value.get_double()); break;
    case json::kind::string: {
      const auto& s = value.get_string();
      append_escaped(out, std::string_view(s.data(), s.size()));
      break;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_json(out, element);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object: append_json(out, value.get_object()); break;
  }
}

void append_json_string(std::string& out, std::string_view text) { append_escaped(out, text); }

void append_json(std::string& out, const json::object& object) {
  out.push_back('{');
  bool first = true;
  for (const auto& member : object) {
    if (!first) out.push_back(',');
    first = false;
    append_escaped(out, std::string_view(member.key().data(), member.key().size()));
    out.push_back(':');
    append_json(out, member.value());
  }
  out.push_back('}');
}

namespace {

void append_pretty(std::string& out, const json::value& value, int depth) {
  auto newline = [&](int level) {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  if (value.is_array() && !value.get_array().empty()) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : value.get_array()) {
      if (!first) out.push_back(',');
      first = false;
      newline(depth + 1);
      append_pretty(out, element, depth + 1);
    }
    newline(depth);
    out.push_back(']');
  } else if (value.is_object() && !value.get_object().empty()) {
    out.push_back('{');
    bool first = true;
    for (const auto& member : value.get_object()) {
      if (!first) out.push_back(',');
      first = false;
      newline(depth + 1);
      append_escaped(out, std::string_view(member.key().data(), member.key().size()));
      out.append(": ");
      append_pretty(out, member.value(), depth + 1);
    }
    newline(depth);
    out.push_back('}');
  } else {
    append_json(out, value);
  }
}

}  // namespace

std::string serialize_json_pretty(const json::value& value) {
  std::string out;
  append_pretty(out, value, 0);
  return out;
}

std::string serialize_json(const json::value& value) {
  std::string out;
  append_json(out, value);
  return out;
}

namespace {

std::size_t decimal_digits(std::uint64_t n) {
  std::size_t digits = 1;
  while (n >= 10) {
    n /= 10;
    ++digits;
  }
  return digits;
}

// Size of a string once quoted and escaped as append_escaped writes it.
std::size_t escaped_size(std::string_view s) {
  std::size_t size = 2 + s.size();
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == '"' || u == '\\' || u == '\n' || u == '\r' || u == '\t' || u == '\b' || u == '\f')
      size += 1;
    else if (u < 0x20)
      size += 5;
  }
  return size;
}

// Adds the compact serialization size of `value` to `size`, stopping once it passes `limit`.
void add_size(const json::value& value, std::size_t& size, std::size_t limit) {
  if (size > limit) return;
  switch (value.kind()) {
    case json::kind::null: size += 4; break;
    case json::kind::bool_: size += value.get_bool() ? 4 : 5; break;
    case json::kind::int64: {
      std::int64_t n = value.get_int64();
      std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
      size += (n < 0) + decimal_digits(magnitude);
      break;
    }
    case json::kind::uint64: size += decimal_digits(value.get_uint64()); break;
    case json::kind::double_: {
      char buf[64];
      auto [end, err] = std::to_chars(buf, buf + sizeof buf, value.get_double());
      std::string_view text(buf, static_cast<std::size_t>(end - buf));
      size += text.size() + (text.find_first_of(".eEn") == std::string_view::npos ? 2 : 0);
      break;
    }
    case json::kind::string: size += escaped_size(value.get_string()); break;
    case json::kind::array: {
      const auto& array = value.get_array();
      size += 2 + (array.empty() ? 0 : array.size() - 1);
      for (const auto& element : array) add_size(element, size, limit);
      break;
    }
    case json::kind::object: {
      const auto& object = value.get_object();
      size += 2 + (object.empty() ? 0 : object.size() - 1);
      for (const auto& member : object) {
        size += escaped_size(member.key()) + 1;  // and the colon
        add_size(member.value(), size, limit);
      }
      break;
    }
  }
}

}  // namespace

std::size_t serialized_size(const json::value& value) {
  std::size_t size = 0;
  add_size(value, size, std::size_t(-1));
  return size;
}

bool serialized_size_exceeds(const json::value& value, std::size_t limit) {
  std::size_t size = 0;
  add_size(value, size, limit);
  return size > limit;
}

}  // namespace flowstate::data
