#include "engine/jsonata/number_format.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/integer_picture.hpp"

namespace flowstate::jsonata {
namespace {

// Percent and per-mille may be strings of several characters; in the picture they stand
// for one position each, represented by these private-use code points during analysis.
constexpr char32_t kPercent = 0xE000;
constexpr char32_t kPerMille = 0xE001;

struct DecimalFormat {
  char32_t decimal = '.', grouping = ',', exponent = 'e', minus = '-', zero = '0', digit = '#', separator = ';';
  std::u32string percent = U"%", per_mille = U"\u2030";
  std::u32string infinity = U"Infinity", nan = U"NaN";
};

std::u32string u32(std::string_view s) {
  auto points = code_points(s);
  return std::u32string(points.begin(), points.end());
}

std::string utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

struct SubPicture {
  std::u32string prefix, suffix;
  std::u32string integer, fraction, exponent;  // the active parts
  bool has_decimal = false, has_exponent = false, percent = false, per_mille = false;
  std::size_t min_integer = 0, scaling = 0, min_fraction = 0, max_fraction = 0, min_exponent = 0;
  std::vector<std::size_t> integer_groups, fraction_groups;
  std::size_t regular_group = 0;
};

[[noreturn]] void fail(const char* code, std::size_t position) {
  static const std::pair<std::string_view, std::string_view> kMessages[] = {
      {"D3080", "The picture string must not contain more than one instance of the pattern-separator character"},
      {"D3081", "A sub-picture must not contain more than one instance of the decimal-separator character"},
      {"D3082", "A sub-picture must not contain more than one instance of the percent character"},
      {"D3083", "A sub-picture must not contain more than one instance of the per-mille character"},
      {"D3084", "A sub-picture must not contain both a percent and a per-mille character"},
      {"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an optional digit character or a member of the decimal digit family"},
      {"D3086", "A sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
      {"D3087", "A sub-picture must not contain a grouping-separator character that appears adjacent to a decimal-separator character"},
      {"D3088", "A sub-picture must not contain a grouping-separator at the end of the integer part"},
      {"D3089", "A sub-picture must not contain two adjacent instances of the grouping-separator character"},
      {"D3090", "The integer part of a sub-picture must not contain a member of the decimal digit family that is followed by an instance of the optional digit character"},
      {"D3091", "The fractional part of a sub-picture must not contain an instance of the optional digit character that is followed by a member of the decimal digit family"},
      {"D3092", "A sub-picture that contains a percent or per-mille character must not contain a character treated as an exponent-separator"},
      {"D3093", "The exponent part of a sub-picture that uses exponential notation must contain only characters that are members of the decimal digit family"}};
  for (const auto& [c, message] : kMessages)
    if (c == code) raise(code, std::string(message), position);
  raise(code, "Invalid picture string", position);
}

SubPicture analyse(const std::u32string& picture, const DecimalFormat& f, std::size_t position) {
  auto is_digit = [&](char32_t c) { return c >= f.zero && c <= f.zero + 9; };
  auto is_active = [&](char32_t c) {
    return is_digit(c) || c == f.digit || c == f.decimal || c == f.grouping || c == f.separator;
  };
  SubPicture p;
  std::size_t first = picture.size(), last = 0;
  for (std::size_t i = 0; i < picture.size(); ++i) {
    if (is_active(picture[i]) || (picture[i] == f.exponent && i > 0 && i + 1 < picture.size() && is_active(picture[i - 1]) && is_active(picture[i + 1]))) {
      first = std::min(first, i);
      last = i;
    }
  }
  std::size_t percents = 0, per_milles = 0, decimals = 0;
  for (char32_t c : picture) {
    percents += c == kPercent;
    per_milles += c == kPerMille;
    decimals += c == f.decimal;
  }
  if (first == picture.size()) fail("D3086", position);
  if (decimals > 1) fail("D3081", position);
  if (percents > 1) fail("D3082", position);
  if (per_milles > 1) fail("D3083", position);
  if (percents && per_milles) fail("D3084", position);
  if (first == picture.size()) fail("D3086", position);
  p.percent = percents > 0;
  p.per_mille = per_milles > 0;
  p.prefix = picture.substr(0, first);
  p.suffix = picture.substr(last + 1);
  std::u32string active = picture.substr(first, last - first + 1);
  for (std::size_t i = 0; i < active.size(); ++i) {
    char32_t c = active[i];
    bool exponent_here = c == f.exponent && i > 0 && i + 1 < active.size();
    if (!is_active(c) && !exponent_here) fail("D3086", position);
  }
  // Split into mantissa and exponent at an exponent separator between active characters.
  std::u32string mantissa = active;
  for (std::size_t i = 1; i + 1 < active.size(); ++i) {
    if (active[i] == f.exponent) {
      mantissa = active.substr(0, i);
      p.exponent = active.substr(i + 1);
      p.has_exponent = true;
      break;
    }
  }
  auto dot = mantissa.find(f.decimal);
  p.has_decimal = dot != std::u32string::npos;
  p.integer = p.has_decimal ? mantissa.substr(0, dot) : mantissa;
  p.fraction = p.has_decimal ? mantissa.substr(dot + 1) : U"";
  bool mantissa_digit = false;
  for (char32_t c : mantissa) mantissa_digit = mantissa_digit || is_digit(c) || c == f.digit;
  if (!mantissa_digit) fail(p.has_exponent ? "D3085" : "D3086", position);
  if (p.has_decimal && ((dot > 0 && mantissa[dot - 1] == f.grouping) || (dot + 1 < mantissa.size() && mantissa[dot + 1] == f.grouping)))
    fail("D3087", position);
  if (!p.integer.empty() && p.integer.back() == f.grouping) fail("D3088", position);
  for (std::size_t i = 0; i + 1 < mantissa.size(); ++i)
    if (mantissa[i] == f.grouping && mantissa[i + 1] == f.grouping) fail("D3089", position);
  bool seen_digit = false;
  for (char32_t c : p.integer) {
    if (is_digit(c)) seen_digit = true;
    else if (c == f.digit && seen_digit) fail("D3090", position);
  }
  bool seen_optional = false;
  for (char32_t c : p.fraction) {
    if (c == f.digit) seen_optional = true;
    else if (is_digit(c) && seen_optional) fail("D3091", position);
  }
  if (p.has_exponent && (p.percent || p.per_mille)) fail("D3092", position);
  for (char32_t c : p.exponent)
    if (!is_digit(c)) fail("D3093", position);

  // Sizes and grouping positions.
  std::size_t digits_seen = 0;
  bool integer_optional = false;
  for (std::size_t i = p.integer.size(); i-- > 0;) {
    char32_t c = p.integer[i];
    if (is_digit(c)) { ++p.min_integer; ++digits_seen; }
    else if (c == f.digit) { integer_optional = true; ++digits_seen; }
    else if (c == f.grouping) p.integer_groups.push_back(digits_seen);
  }
  p.scaling = p.min_integer;
  digits_seen = 0;
  for (char32_t c : p.fraction) {
    if (is_digit(c)) { ++p.min_fraction; ++p.max_fraction; ++digits_seen; }
    else if (c == f.digit) { ++p.max_fraction; ++digits_seen; }
    else if (c == f.grouping) p.fraction_groups.push_back(digits_seen);
  }
  p.min_exponent = p.exponent.size();
  if (!p.integer_groups.empty()) {
    std::size_t g = p.integer_groups.front();
    bool regular = g > 0;
    for (std::size_t k = 0; k < p.integer_groups.size() && regular; ++k) regular = p.integer_groups[k] == g * (k + 1);
    if (regular) p.regular_group = g;
  }
  if (p.min_integer == 0 && p.max_fraction == 0) {
    if (p.has_exponent) {
      p.min_fraction = p.max_fraction = 1;
    } else {
      p.min_integer = 1;
    }
  }
  if (p.has_exponent && p.min_integer == 0 && integer_optional) p.min_integer = 1;
  if (p.min_integer == 0 && p.min_fraction == 0 && !p.has_exponent) p.min_fraction = 1;
  return p;
}

std::u32string render(double value, const SubPicture& p, const DecimalFormat& f, bool negative_prefix) {
  if (p.percent) value *= 100;
  if (p.per_mille) value *= 1000;
  double a = std::fabs(value);
  long long exponent = 0;
  if (p.has_exponent && a != 0) {
    // Scale the mantissa into [10^(scaling-1), 10^scaling).
    exponent = static_cast<long long>(std::floor(std::log10(a))) + 1 - static_cast<long long>(p.scaling);
    a = a / std::pow(10.0, static_cast<double>(exponent));
    double rounded = round_half_even(a, static_cast<int>(p.max_fraction));
    if (rounded >= std::pow(10.0, static_cast<double>(std::max<std::size_t>(p.scaling, 0)))) {
      if (p.scaling > 0 || rounded >= 1) {
        ++exponent;
        a /= 10;
      }
    }
  }
  a = round_half_even(a, static_cast<int>(p.max_fraction));
  std::string fixed = fmt::format("{:.{}f}", a, p.max_fraction);
  auto dot = fixed.find('.');
  std::string integer = dot == std::string::npos ? fixed : fixed.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : fixed.substr(dot + 1);
  while (fraction.size() > p.min_fraction && !fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (integer == "0" && p.min_integer == 0) integer.clear();
  if (integer.size() < p.min_integer) integer.insert(0, p.min_integer - integer.size(), '0');

  auto digit = [&](char c) { return static_cast<char32_t>(f.zero + static_cast<char32_t>(c - '0')); };
  std::u32string int_out;
  for (std::size_t i = integer.size(), count = 0; i-- > 0; ++count) {
    bool group = false;
    if (count > 0) {
      if (p.regular_group) group = count % p.regular_group == 0;
      else for (std::size_t g : p.integer_groups) group = group || g == count;
    }
    if (group) int_out.insert(int_out.begin(), f.grouping);
    int_out.insert(int_out.begin(), digit(integer[i]));
  }
  std::u32string frac_out;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    for (std::size_t g : p.fraction_groups)
      if (g == i && i > 0) frac_out.push_back(f.grouping);
    frac_out.push_back(digit(fraction[i]));
  }
  std::u32string out;
  if (negative_prefix) out.push_back(f.minus);
  out += p.prefix + int_out;
  if (!frac_out.empty()) {
    out.push_back(f.decimal);
    out += frac_out;
  }
  if (p.has_exponent) {
    out.push_back(f.exponent);
    if (exponent < 0) out.push_back(f.minus);
    std::string e = std::to_string(std::llabs(exponent));
    if (e.size() < p.min_exponent) e.insert(0, p.min_exponent - e.size(), '0');
    for (char c : e) out.push_back(digit(c));
  }
  out += p.suffix;
  std::u32string final_out;
  for (char32_t c : out) {
    if (c == kPercent) final_out += f.percent;
    else if (c == kPerMille) final_out += f.per_mille;
    else final_out.push_back(c);
  }
  return final_out;
}

std::string format_number_picture(double value, std::string_view picture_text, const Value& options, std::size_t position) {
  DecimalFormat f;
  auto single = [&](std::string_view key, char32_t& target) {
    Value v = options.member(key);
    if (v.is_string() && !v.as_string().empty()) target = code_points(v.as_string())[0];
  };
  single("decimal-separator", f.decimal);
  single("grouping-separator", f.grouping);
  single("exponent-separator", f.exponent);
  single("minus-sign", f.minus);
  single("zero-digit", f.zero);
  single("digit", f.digit);
  single("pattern-separator", f.separator);
  if (Value v = options.member("percent"); v.is_string()) f.percent = u32(v.as_string());
  if (Value v = options.member("per-mille"); v.is_string()) f.per_mille = u32(v.as_string());
  if (Value v = options.member("infinity"); v.is_string()) f.infinity = u32(v.as_string());
  if (Value v = options.member("NaN"); v.is_string()) f.nan = u32(v.as_string());
  // A zero-digit option names the family by any of its members' zero ("⑟" for ①②...).
  std::u32string picture = u32(picture_text);
  std::u32string marked;
  for (std::size_t i = 0; i < picture.size();) {
    if (picture.compare(i, f.per_mille.size(), f.per_mille) == 0) { marked.push_back(kPerMille); i += f.per_mille.size(); }
    else if (picture.compare(i, f.percent.size(), f.percent) == 0) { marked.push_back(kPercent); i += f.percent.size(); }
    else marked.push_back(picture[i++]);
  }
  std::vector<std::u32string> subs;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= marked.size(); ++i) {
    if (i == marked.size() || marked[i] == f.separator) {
      subs.push_back(marked.substr(start, i - start));
      start = i + 1;
    }
  }
  if (subs.size() > 2) fail("D3080", position);
  SubPicture positive = analyse(subs[0], f, position);
  if (!std::isfinite(value)) return utf8(std::isnan(value) ? f.nan : f.infinity);
  if (value < 0) {
    if (subs.size() == 2) return utf8(render(value, analyse(subs[1], f, position), f, false));
    return utf8(render(value, positive, f, true));
  }
  return utf8(render(value, positive, f, false));
}

}  // namespace

void add_number_format_functions(NativeTable& t) {
  add(t, "formatNumber", "<n-so?:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(format_number_picture(c.arg(0).as_number(), c.arg(1).as_string(), c.arg(2), c.position));
  });
  add(t, "formatInteger", "<n-s:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto picture = analyse_integer_picture(c.arg(1).as_string(), c.position);
    return Value::string(format_integer(c.arg(0).as_number(), picture));
  });
  add(t, "parseInteger", "<s-s:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto picture = analyse_integer_picture(c.arg(1).as_string(), c.position);
    auto value = parse_integer(c.arg(0).as_string(), picture);
    if (!value) return {};
    return Value::number(*value);
  });
}

}  // namespace flowstate::jsonata
