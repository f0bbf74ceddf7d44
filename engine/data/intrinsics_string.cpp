// String intrinsics: States.Format and States.StringSplit, plus the text argument reader.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kFormat = "States.Format";
constexpr std::string_view kStringSplit = "States.StringSplit";

// AWS renders a Format value with Java's toString: strings raw, scalars as JSON text, arrays
// as "[a, b]" and objects as "{k=v, k2=v2}" (recorded: generic.format_2-07 gives
// "{Arg1=1, Arg2=[]}", generic.context_json_path-00 nests an object's strings raw).
void append_java_style(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      out.append(value.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.append(", ");
        first = false;
        append_java_style(out, element);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.append(", ");
        first = false;
        out.append(member.key());
        out.push_back('=');
        append_java_style(out, member.value());
      }
      out.push_back('}');
      return;
    }
    default:
      append_json(out, value);
      return;
  }
}

// The length in bytes of the UTF-8 sequence that starts with `lead` (1 for stray bytes).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::vector<std::string_view> split_code_points(std::string_view text) {
  std::vector<std::string_view> points;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
    points.push_back(text.substr(i, n));
    i += n;
  }
  return points;
}

}  // namespace

std::string describe_value(const json::value& value) {
  std::string text = serialize_json(value);
  constexpr std::size_t kMax = 100;
  if (text.size() > kMax) {
    text.resize(kMax);
    text.append("...");
  }
  return text;
}

boost::system::result<std::string_view, asl::Failure> string_argument(std::string_view function,
                                                                      std::string_view what,
                                                                      const json::value& value) {
  if (!value.is_string()) {
    return invalid_argument(function,
                            fmt::format("{} must be a string, but was {}", what, describe_value(value)));
  }
  return std::string_view(value.get_string());
}

FormatTemplate parse_format_literal(std::string_view raw) {
  FormatTemplate format;
  format.pieces.emplace_back();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      format.pieces.back().push_back(raw[++i]);
    } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '}') {
      format.pieces.emplace_back();
      ++i;
    } else {
      format.pieces.back().push_back(c);
    }
  }
  return format;
}

FormatTemplate parse_format_value(std::string_view text) {
  FormatTemplate format;
  format.pieces.emplace_back();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '}') {
      format.pieces.emplace_back();
      ++i;
    } else {
      format.pieces.back().push_back(text[i]);
    }
  }
  return format;
}

Result render_format(const FormatTemplate& format, std::span<const json::value> values) {
  // "There must be as many remaining arguments in the Invocation as there are occurrences of
  // {}" (intrinsic-functions.html).
  if (values.size() != format.placeholders()) {
    return invalid_argument(kFormat,
                            fmt::format("the template has {} '{{}}' placeholder{} but {} value{} "
                                        "to insert",
                                        format.placeholders(),
                                        format.placeholders() == 1 ? "" : "s", values.size(),
                                        values.size() == 1 ? "" : "s"));
  }
  std::string out = format.pieces.front();
  for (std::size_t i = 0; i < values.size(); ++i) {
    append_java_style(out, values[i]);
    out.append(format.pieces[i + 1]);
  }
  return json::value(json::string(out));
}

Result format(std::span<json::value> args) {
  auto text = string_argument(kFormat, "the template (first argument)", args.front());
  if (!text) return text.error();
  return render_format(parse_format_value(*text), args.subspan(1));
}

// "Splits a string into an array of values ... the delimiting characters": every character of
// the second argument is a delimiter and empty parts are dropped, as Java's StringTokenizer
// does (recorded: string_split-05 splits "This.is+a,test=string" on ".+,=";
// string_split-02 turns ", , ," into [" ", " "]).
Result string_split(std::span<json::value> args) {
  auto text = string_argument(kStringSplit, "the string to split (first argument)", args[0]);
  if (!text) return text.error();
  auto delimiters = string_argument(kStringSplit, "the delimiters (second argument)", args[1]);
  if (!delimiters) return delimiters.error();
  std::vector<std::string_view> delimiter_points = split_code_points(*delimiters);
  auto is_delimiter = [&](std::string_view point) {
    for (auto d : delimiter_points) {
      if (d == point) return true;
    }
    return false;
  };
  json::array parts;
  std::string current;
  for (std::string_view point : split_code_points(*text)) {
    if (is_delimiter(point)) {
      if (!current.empty()) parts.emplace_back(json::string(current));
      current.clear();
    } else {
      current.append(point);
    }
  }
  if (!current.empty()) parts.emplace_back(json::string(current));
  return json::value(std::move(parts));
}

}  // namespace flowstate::data::intrinsics
