#include "engine/jsonata/string_conversion.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {

std::string number_text(double value) {
  if (std::trunc(value) == value) return format_number(value);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14e", value);
  double rounded = std::strtod(buf, nullptr);
  return format_number(rounded);
}

namespace {

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void newline(std::string& out, bool pretty, int indent) {
  if (!pretty) return;
  out.push_back('\n');
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
}

}  // namespace

void append_json_text(std::string& out, const Value& value, bool pretty, int indent) {
  check_nesting(indent);
  switch (value.kind()) {
    case Kind::undefined:
    case Kind::null: out += "null"; break;
    case Kind::boolean: out += value.as_boolean() ? "true" : "false"; break;
    case Kind::number:
      if (!std::isfinite(value.as_number())) raise("D1001", "Number out of range");
      out += number_text(value.as_number());
      break;
    case Kind::string: append_quoted(out, value.as_string()); break;
    case Kind::function: out += "\"\""; break;
    case Kind::array: {
      out.push_back('[');
      std::size_t n = value.size();
      for (std::size_t i = 0; i < n; ++i) {
        if (i) out.push_back(',');
        newline(out, pretty, indent + 1);
        Value item = value.at(i);
        if (item.is_undefined()) out += "null";
        else append_json_text(out, item, pretty, indent + 1);
      }
      if (n) newline(out, pretty, indent);
      out.push_back(']');
      break;
    }
    case Kind::object: {
      out.push_back('{');
      bool first = true;
      value.for_each_member([&](std::string_view key, const Value& member) {
        if (member.is_undefined()) return;
        if (!first) out.push_back(',');
        first = false;
        newline(out, pretty, indent + 1);
        append_quoted(out, key);
        out.push_back(':');
        if (pretty) out.push_back(' ');
        append_json_text(out, member, pretty, indent + 1);
      });
      if (!first) newline(out, pretty, indent);
      out.push_back('}');
      break;
    }
  }
}

std::string to_text(const Value& value, bool pretty) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_function()) return "";
  if (value.is_number()) {
    if (!std::isfinite(value.as_number()))
      raise("D3001", "Attempting to invoke string function on Infinity or NaN");
    return number_text(value.as_number());
  }
  std::string out;
  append_json_text(out, value, pretty);
  return out;
}

}  // namespace flowstate::jsonata
