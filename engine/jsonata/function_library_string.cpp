// String functions: $string, $substring*, $lowercase, $uppercase, $length, $trim, $pad,
// $contains, $split, $join, $match, $replace, $base64*, $encodeUrl*, $decodeUrl*.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/function_library.hpp"
#include "engine/jsonata/regex_matcher.hpp"
#include "engine/jsonata/string_conversion.hpp"
#include "engine/jsonata/syntax_tree.hpp"

namespace flowstate::jsonata {
namespace {

const CompiledRegex* regex_of(const Value& v) {
  const FunctionNode* f = v.function_node();
  return f && f->kind == FunctionNode::Kind::regex ? f->syntax->regex.get() : nullptr;
}

// The matches of a regex, or of a custom matcher function: one that returns
// {match, start, end, groups, next} objects, `next` giving the following match.
std::vector<RegexMatch> matches_of(NativeCall& call, const Value& matcher, std::string_view subject, std::size_t limit) {
  if (const CompiledRegex* re = regex_of(matcher)) return find_matches(*re, subject, limit);
  std::vector<RegexMatch> out;
  auto points = code_points(subject);
  auto byte_offset = [&](double index) {
    std::size_t n = static_cast<std::size_t>(std::max(0.0, index));
    return to_utf8(points, 0, std::min(n, points.size())).size();
  };
  auto bad = [&]() {
    raise("T1010", "The matcher function argument passed to function does not return the correct structure", call.position);
  };
  Value result = call.evaluator.apply(matcher, {Value::string(std::string(subject))}, call.context, call.position);
  while (result.is_defined() && out.size() < limit) {
    Value match = result.member("match"), start = result.member("start"), end = result.member("end");
    if (!result.is_object() || !match.is_string() || !start.is_number() || !end.is_number()) bad();
    RegexMatch m;
    m.begin = byte_offset(start.as_number());
    m.end = byte_offset(end.as_number());
    m.text = std::string(match.as_string());
    Value groups = result.member("groups");
    for (std::size_t i = 0, n = groups.size(); i < n; ++i) m.groups.emplace_back(groups.at(i).as_string());
    out.push_back(std::move(m));
    Value next = result.member("next");
    if (!next.is_function()) break;
    result = call.evaluator.apply(next, {}, call.context, call.position);
  }
  return out;
}

std::size_t limit_of(const Value& v, const char* code, std::string_view function, std::size_t position) {
  if (v.is_undefined()) return std::numeric_limits<std::size_t>::max();
  if (v.as_number() < 0) raise(code, fmt::format("Third argument of {} function must evaluate to a positive number", function), position);
  return static_cast<std::size_t>(v.as_number());
}

Value substring(NativeCall& call) {
  if (call.arg(0).is_undefined()) return {};
  auto points = code_points(call.arg(0).as_string());
  auto length = static_cast<double>(points.size());
  double start = std::trunc(call.arg(1).as_number());
  if (start < 0) start = std::max(0.0, length + start);
  double end = length;
  if (call.arg(2).is_defined()) {
    double n = std::trunc(call.arg(2).as_number());
    if (n <= 0) return Value::string("");
    end = std::min(length, start + n);
  }
  if (start >= end) return Value::string("");
  return Value::string(to_utf8(points, static_cast<std::size_t>(start), static_cast<std::size_t>(end)));
}

Value pad(NativeCall& call) {
  if (call.arg(0).is_undefined()) return {};
  std::string text(call.arg(0).as_string());
  double width = std::trunc(call.arg(1).as_number());
  std::string fill = call.arg(2).is_undefined() || call.arg(2).as_string().empty() ? " " : std::string(call.arg(2).as_string());
  auto fill_points = code_points(fill);
  auto length = static_cast<double>(code_points(text).size());
  double missing = std::fabs(width) - length;
  if (missing <= 0 || fill_points.empty()) return Value::string(text);
  std::string padding;
  for (std::size_t i = 0; i < static_cast<std::size_t>(missing); ++i) append_utf8(padding, fill_points[i % fill_points.size()]);
  return Value::string(width > 0 ? text + padding : padding + text);
}

Value trim(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return Value::string(std::move(out));
}

Value split(NativeCall& call) {
  if (call.arg(0).is_undefined()) return {};
  std::string_view s = call.arg(0).as_string();
  std::size_t limit = limit_of(call.arg(2), "D3020", "split", call.position);
  auto out = make_array();
  auto push = [&](std::string piece) {
    if (out->items.size() < limit) out->items.push_back(Value::string(std::move(piece)));
  };
  if (call.arg(1).is_function()) {
    std::size_t from = 0;
    for (const auto& m : matches_of(call, call.arg(1), s, std::numeric_limits<std::size_t>::max())) {
      push(std::string(s.substr(from, m.begin - from)));
      from = m.end;
    }
    push(std::string(s.substr(from)));
  } else {
    std::string_view sep = call.arg(1).as_string();
    if (sep.empty()) {
      auto points = code_points(s);
      for (std::size_t i = 0; i < points.size(); ++i) push(to_utf8(points, i, i + 1));
    } else {
      std::size_t from = 0;
      for (;;) {
        auto at = s.find(sep, from);
        if (at == std::string_view::npos) break;
        push(std::string(s.substr(from, at - from)));
        from = at + sep.size();
      }
      push(std::string(s.substr(from)));
    }
  }
  return Value::array(std::move(out));
}

std::string expand_replacement(std::string_view pattern, const RegexMatch& m) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '$' || i + 1 >= pattern.size()) {
      out.push_back(c);
      continue;
    }
    char d = pattern[i + 1];
    if (d == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(d))) {
      out.push_back(c);
      continue;
    }
    std::size_t j = i + 1;
    while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) ++j;
    std::string digits(pattern.substr(i + 1, j - i - 1));
    // Use the longest prefix of the digits that names a group ($0 is the whole match).
    while (digits.size() > 1 && std::stoul(digits) > m.groups.size()) digits.pop_back();
    std::size_t group = std::stoul(digits);
    if (group == 0) out += m.text;
    else if (group <= m.groups.size()) out += m.groups[group - 1];
    i += digits.size();
  }
  return out;
}

Value replace(NativeCall& call) {
  if (call.arg(0).is_undefined()) return {};
  std::string_view s = call.arg(0).as_string();
  const Value& pattern = call.arg(1);
  const Value& replacement = call.arg(2);
  if (pattern.is_string() && pattern.as_string().empty())
    raise("D3010", "Second argument of replace function cannot be an empty string", call.position);
  std::size_t limit = limit_of(call.arg(3), "D3011", "replace", call.position);
  std::vector<RegexMatch> matches;
  if (pattern.is_function()) {
    matches = matches_of(call, pattern, s, limit);
  } else {
    std::string_view needle = pattern.as_string();
    for (std::size_t from = 0; matches.size() < limit;) {
      auto at = s.find(needle, from);
      if (at == std::string_view::npos) break;
      matches.push_back(RegexMatch{at, at + needle.size(), std::string(needle), {}});
      from = at + needle.size();
    }
  }
  std::string out;
  std::size_t from = 0;
  for (const auto& m : matches) {
    out.append(s.substr(from, m.begin - from));
    if (replacement.is_string()) {
      out += pattern.is_function() ? expand_replacement(replacement.as_string(), m) : std::string(replacement.as_string());
    } else {
      Value r = call.evaluator.apply(replacement, {match_object(s, m)}, call.context, call.position);
      if (!r.is_string())
        raise("D3012", "Attempted to replace a matched string with a non-string value", call.position);
      out += r.as_string();
    }
    from = m.end;
  }
  out.append(s.substr(from));
  return Value::string(std::move(out));
}

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(kBase64[(n >> k) & 63]);
  }
  if (i + 1 == in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out.push_back(kBase64[(n >> 18) & 63]);
    out.push_back(kBase64[(n >> 12) & 63]);
    out.push_back(kBase64[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::string base64_decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    auto at = kBase64.find(c);
    if (at == std::string_view::npos) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string percent_encode(std::string_view s, std::string_view keep, std::size_t position) {
  std::string out;
  for (char32_t cp : code_points(s))
    if (cp >= 0xD800 && cp < 0xE000) raise("D3140", "Malformed URL passed to encode function", position);
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || keep.find(c) != std::string_view::npos) out.push_back(c);
    else out += fmt::format("%{:02X}", u);
  }
  return out;
}

std::string percent_decode(std::string_view s, std::string_view reserved, std::size_t position) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      raise("D3140", "Malformed URL passed to decode function", position);
    char c = static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
    if (reserved.find(c) != std::string_view::npos && c != 0) out.append(s.substr(i, 3));
    else out.push_back(c);
    i += 2;
  }
  // The decoded bytes must be valid UTF-8.
  for (std::size_t i = 0; i < out.size();) {
    auto c = static_cast<unsigned char>(out[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > out.size()) raise("D3140", "Malformed URL passed to decode function", position);
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(out[i + k]) & 0xC0) != 0x80)
        raise("D3140", "Malformed URL passed to decode function", position);
    i += n;
  }
  return out;
}

Value string_fn(NativeCall& call, std::string (*f)(std::string_view)) {
  if (call.arg(0).is_undefined()) return {};
  return Value::string(f(call.arg(0).as_string()));
}

}  // namespace

void add_string_functions(NativeTable& t) {
  add(t, "string", "<x-b?:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(to_text(c.arg(0), c.arg(1).is_boolean() && c.arg(1).as_boolean()));
  });
  add(t, "substring", "<s-nn?:s>", substring);
  add(t, "substringBefore", "<s-s:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto s = c.arg(0).as_string();
    auto at = s.find(c.arg(1).as_string());
    return Value::string(std::string(at == std::string_view::npos ? s : s.substr(0, at)));
  });
  add(t, "substringAfter", "<s-s:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto s = c.arg(0).as_string();
    auto chars = c.arg(1).as_string();
    auto at = s.find(chars);
    return Value::string(std::string(at == std::string_view::npos ? s : s.substr(at + chars.size())));
  });
  add(t, "lowercase", "<s-:s>", [](NativeCall& c) {
    return string_fn(c, [](std::string_view s) {
      std::string out(s);
      for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return out;
    });
  });
  add(t, "uppercase", "<s-:s>", [](NativeCall& c) {
    return string_fn(c, [](std::string_view s) {
      std::string out(s);
      for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return out;
    });
  });
  add(t, "length", "<s-:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::number(static_cast<double>(code_points(c.arg(0).as_string()).size()));
  });
  add(t, "trim", "<s-:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return trim(c.arg(0).as_string());
  });
  add(t, "pad", "<s-ns?:s>", pad);
  add(t, "contains", "<s-(sf):b>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined() || c.arg(1).is_undefined()) return {};
    auto s = c.arg(0).as_string();
    if (c.arg(1).is_function()) return Value::boolean(!matches_of(c, c.arg(1), s, 1).empty());
    return Value::boolean(s.find(c.arg(1).as_string()) != std::string_view::npos);
  });
  add(t, "split", "<s-(sf)n?:a<s>>", split);
  add(t, "join", "<a<s>s?:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    std::string sep = c.arg(1).is_undefined() ? "" : std::string(c.arg(1).as_string());
    std::string out;
    for (std::size_t i = 0, n = c.arg(0).size(); i < n; ++i) {
      if (i) out += sep;
      out += c.arg(0).at(i).as_string();
    }
    return Value::string(std::move(out));
  });
  add(t, "match", "<s-f<s:o>n?:a<o>>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    std::size_t limit = limit_of(c.arg(2), "D3040", "match", c.position);
    auto s = c.arg(0).as_string();
    auto out = make_sequence();
    for (const auto& m : matches_of(c, c.arg(1), s, limit)) out->items.push_back(match_object(s, m));
    return Value::array(std::move(out));
  });
  add(t, "replace", "<s-(sf)(sf)n?:s>", replace);
  add(t, "base64encode", "<s-:s>", [](NativeCall& c) { return string_fn(c, base64_encode); });
  add(t, "base64decode", "<s-:s>", [](NativeCall& c) { return string_fn(c, base64_decode); });
  add(t, "encodeUrlComponent", "<s-:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(percent_encode(c.arg(0).as_string(), "-_.!~*'()", c.position));
  });
  add(t, "encodeUrl", "<s-:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(percent_encode(c.arg(0).as_string(), "-_.!~*'();/?:@&=+$,#", c.position));
  });
  add(t, "decodeUrlComponent", "<s-:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(percent_decode(c.arg(0).as_string(), "", c.position));
  });
  add(t, "decodeUrl", "<s-:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(percent_decode(c.arg(0).as_string(), ";/?:@&=+$,#", c.position));
  });
}

}  // namespace flowstate::jsonata
