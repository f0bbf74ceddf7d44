#include "engine/jsonata/datetime_format.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/integer_picture.hpp"
#include "engine/jsonata/regex_matcher.hpp"

namespace flowstate::jsonata {

namespace {

constexpr const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr double kDay = 86400000.0;

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

struct Civil {
  long long year;
  unsigned month, day;
};

Civil civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

long long floor_div(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// 1 = Monday ... 7 = Sunday
int iso_weekday(long long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

// ISO 8601 week-numbering year and week of the day `days`.
std::pair<long long, int> iso_week(long long days) {
  long long thursday = days - iso_weekday(days) + 4;
  long long year = civil_from_days(thursday).year;
  long long jan1 = days_from_civil(year, 1, 1);
  return {year, static_cast<int>((thursday - jan1) / 7 + 1)};
}

// Week of the month (weeks start on Monday; the week belongs to the month of its Thursday).
std::pair<int, int> month_week(long long days) {
  long long thursday = days - iso_weekday(days) + 4;
  Civil t = civil_from_days(thursday);
  long long first = days_from_civil(t.year, t.month, 1);
  long long first_thursday = first + ((4 - iso_weekday(first)) + 7) % 7;
  return {static_cast<int>((thursday - first_thursday) / 7 + 1), static_cast<int>(t.month)};
}

struct Marker {
  char component = 0;
  std::string presentation;  ///< first modifier, without its trailing 'o'/'t'
  bool ordinal = false;
  bool traditional = false;  ///< 't' (timezone: Z for zero)
  bool has_presentation = false;
  std::optional<std::size_t> min_width, max_width;
};

struct PicturePart {
  bool literal = true;
  std::string text;
  Marker marker;
};

std::vector<PicturePart> analyse(std::string_view picture, std::size_t position) {
  std::vector<PicturePart> parts;
  std::string literal;
  for (std::size_t i = 0; i < picture.size(); ++i) {  // every '[' must be closed, first of all
    if (picture[i] == '[' && i + 1 < picture.size() && picture[i + 1] == '[') { ++i; continue; }
    if (picture[i] == '[' && picture.find(']', i) == std::string_view::npos)
      raise("D3135", "No matching closing bracket ']' in date/time picture string", position);
  }
  for (std::size_t i = 0; i < picture.size(); ++i) {
    char c = picture[i];
    if (c == '[' && i + 1 < picture.size() && picture[i + 1] == '[') { literal += '['; ++i; continue; }
    if (c == ']' && i + 1 < picture.size() && picture[i + 1] == ']') { literal += ']'; ++i; continue; }
    if (c != '[') { literal += c; continue; }
    auto close = picture.find(']', i);
    if (close == std::string_view::npos)
      raise("D3135", "No matching closing bracket ']' in date/time picture string", position);
    if (!literal.empty()) parts.push_back(PicturePart{true, std::move(literal), {}});
    literal.clear();
    std::string body;
    for (char b : picture.substr(i + 1, close - i - 1))
      if (!std::isspace(static_cast<unsigned char>(b))) body += b;
    i = close;
    PicturePart part;
    part.literal = false;
    Marker& m = part.marker;
    if (body.empty()) raise("D3132", "Unknown component specifier in date/time picture string", position);
    m.component = body[0];
    if (std::string_view("YMDdFWwXxHhPmsfZzCE").find(m.component) == std::string_view::npos)
      raise("D3132", fmt::format("Unknown component specifier {} in date/time picture string", m.component), position);
    std::string modifiers = body.substr(1);
    std::string width;
    if (auto comma = modifiers.rfind(','); comma != std::string::npos) {
      width = modifiers.substr(comma + 1);
      modifiers = modifiers.substr(0, comma);
    }
    if (!modifiers.empty()) {
      char last = modifiers.back();
      if ((last == 'o' || last == 't') && modifiers.size() > 1) {
        (last == 'o' ? m.ordinal : m.traditional) = true;
        modifiers.pop_back();
      } else if (last == 't' && m.component == 'Z') {
        m.traditional = true;
        modifiers.pop_back();
      }
      m.presentation = modifiers;
      m.has_presentation = !modifiers.empty();
    }
    if (!width.empty()) {
      auto dash = width.find('-');
      std::string lo = width.substr(0, dash);
      std::string hi = dash == std::string::npos ? "" : width.substr(dash + 1);
      if (!lo.empty() && lo != "*") m.min_width = std::stoul(lo);
      if (!hi.empty() && hi != "*") m.max_width = std::stoul(hi);
    }
    if (!m.has_presentation) {
      switch (m.component) {
        case 'F': case 'P': case 'C': case 'E': m.presentation = "n"; break;
        case 'm': case 's': m.presentation = "01"; break;
        case 'Z': case 'z': m.presentation = "01:01"; break;
        default: m.presentation = "1";
      }
    }
    bool names = m.presentation == "N" || m.presentation == "n" || m.presentation == "Nn";
    if (names && std::string_view("MxFPCE").find(m.component) == std::string_view::npos)
      raise("D3133", fmt::format("The {} component cannot be represented as a name", m.component), position);
    parts.push_back(std::move(part));
  }
  if (!literal.empty()) parts.push_back(PicturePart{true, std::move(literal), {}});
  return parts;
}

std::string apply_case(std::string name, std::string_view presentation) {
  if (presentation == "N") {
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (presentation == "n") {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

bool is_name(const Marker& m) { return m.presentation == "N" || m.presentation == "n" || m.presentation == "Nn"; }

std::string format_number_component(double value, const Marker& m, std::size_t position) {
  std::string presentation = m.presentation;
  if (m.ordinal) presentation += ";o";
  IntegerPicture p = analyse_integer_picture(presentation, position);
  if (p.kind == IntegerPicture::Kind::decimal && m.min_width && *m.min_width > p.mandatory_digits)
    p.mandatory_digits = *m.min_width;
  std::string out = format_integer(value, p);
  if (m.component == 'Y' && p.kind == IntegerPicture::Kind::decimal) {
    std::optional<std::size_t> width = m.max_width;
    if (!width && m.min_width && analyse_integer_picture(m.presentation, position).mandatory_digits < *m.min_width)
      width = m.min_width;
    if (width && out.size() > *width) out = out.substr(out.size() - *width);
  }
  return out;
}

std::string format_timezone(int offset_minutes, const Marker& m, std::size_t position) {
  if (m.traditional && offset_minutes == 0) return "Z";
  std::string digits_sep = m.presentation;
  std::size_t digits = 0;
  std::string separator;
  std::size_t hour_digits = 0;
  for (char c : digits_sep) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (separator.empty()) { separator = c; hour_digits = digits; }
  }
  if (separator.empty()) {
    if (digits > 4) raise("D3134", "The timezone component of the date/time picture string has too many digits", position);
    hour_digits = digits <= 2 ? digits : digits - 2;
  }
  int a = std::abs(offset_minutes);
  std::string out = offset_minutes < 0 ? "-" : "+";
  std::string hours = std::to_string(a / 60);
  if (hours.size() < hour_digits) hours.insert(0, hour_digits - hours.size(), '0');
  out += hours;
  std::string minutes = fmt::format("{:02}", a % 60);
  if (!separator.empty()) out += separator + minutes;
  else if (digits > 2) out += minutes;
  else if (a % 60) out += ":" + minutes;
  return out;
}

std::optional<int> parse_offset(std::string_view text) {
  std::string t(text);
  int sign = 1;
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) { sign = t[i] == '-' ? -1 : 1; ++i; }
  std::string digits;
  for (; i < t.size(); ++i)
    if (std::isdigit(static_cast<unsigned char>(t[i]))) digits += t[i];
  if (digits.empty()) return std::nullopt;
  int hours = 0, minutes = 0;
  if (digits.size() <= 2) hours = std::stoi(digits);
  else {
    hours = std::stoi(digits.substr(0, digits.size() - 2));
    minutes = std::stoi(digits.substr(digits.size() - 2));
  }
  return sign * (hours * 60 + minutes);
}

}  // namespace

std::string format_datetime(double millis, const Value* picture_value, const Value* timezone, std::size_t position) {
  int offset = 0;
  if (timezone && timezone->is_string()) offset = parse_offset(timezone->as_string()).value_or(0);
  std::string picture;
  if (picture_value && picture_value->is_string()) picture = std::string(picture_value->as_string());
  else if (timezone && timezone->is_string()) picture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
  auto ms = static_cast<long long>(std::floor(millis)) + static_cast<long long>(offset) * 60000;
  long long days = floor_div(ms, 86400000);
  long long rest = ms - days * 86400000;
  Civil c = civil_from_days(days);
  if (picture.empty()) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day, rest / 3600000,
                       rest / 60000 % 60, rest / 1000 % 60, rest % 1000);
  }
  std::string out;
  for (const auto& part : analyse(picture, position)) {
    if (part.literal) {
      out += part.text;
      continue;
    }
    const Marker& m = part.marker;
    std::string text;
    double number = 0;
    std::optional<std::string> name;
    switch (m.component) {
      case 'Y': number = static_cast<double>(c.year); break;
      case 'M': number = c.month; name = kMonths[c.month - 1]; break;
      case 'D': number = c.day; break;
      case 'd': number = static_cast<double>(days - days_from_civil(c.year, 1, 1) + 1); break;
      case 'F': number = iso_weekday(days); name = kDays[iso_weekday(days) - 1]; break;
      case 'W': number = iso_week(days).second; break;
      case 'X': number = static_cast<double>(iso_week(days).first); break;
      case 'w': number = month_week(days).first; break;
      case 'x': number = month_week(days).second; name = kMonths[month_week(days).second - 1]; break;
      case 'H': number = static_cast<double>(rest / 3600000); break;
      case 'h': {
        long long h = rest / 3600000 % 12;
        number = static_cast<double>(h == 0 ? 12 : h);
        break;
      }
      case 'P': name = rest / 3600000 < 12 ? "am" : "pm"; break;
      case 'm': number = static_cast<double>(rest / 60000 % 60); break;
      case 's': number = static_cast<double>(rest / 1000 % 60); break;
      case 'f': {
        std::string frac = fmt::format("{:03}", rest % 1000);
        std::size_t digits = 0;
        for (char ch : m.presentation) digits += std::isdigit(static_cast<unsigned char>(ch)) ? 1 : 0;
        if (digits == 0) digits = 1;
        if (digits < 3) frac = frac.substr(0, std::max<std::size_t>(digits, 1));
        else frac += std::string(digits - 3, '0');
        out += frac;
        continue;
      }
      case 'Z': out += format_timezone(offset, m, position); continue;
      case 'z': {
        Marker plain = m;
        plain.traditional = false;
        out += "GMT" + format_timezone(offset, plain, position);
        continue;
      }
      case 'C': case 'E': out += "ISO"; continue;
    }
    if (name && is_name(m)) {
      text = apply_case(*name, m.presentation);
      if (m.max_width && code_points(text).size() > *m.max_width) text = text.substr(0, *m.max_width);
    } else {
      text = format_number_component(number, m, position);
    }
    out += text;
  }
  return out;
}

namespace {

std::optional<double> parse_iso(std::string_view text) {
  static const auto kIso = compile_regex(
      R"((\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?)", {}, 0);
  auto groups = match_whole(*kIso, text);
  if (!groups) return std::nullopt;
  const auto& m = *groups;
  auto num = [&](std::size_t i, int fallback) { return m[i] ? std::stoi(*m[i]) : fallback; };
  long long days = days_from_civil(num(1, 1970), static_cast<unsigned>(num(2, 1)), static_cast<unsigned>(num(3, 1)));
  double ms = static_cast<double>(days) * kDay + (num(4, 0) * 3600.0 + num(5, 0) * 60.0 + num(6, 0)) * 1000.0;
  if (m[7]) ms += std::floor(std::stod("0." + *m[7]) * 1000 + 0.5);
  if (m[8] && *m[8] != "Z") ms -= parse_offset(*m[8]).value_or(0) * 60000.0;
  return ms;
}

std::string pattern_for(const Marker& m, bool fixed_width) {
  if (m.component == 'Z') return R"(Z|[+-]\d{1,2}(?::?\d{2})?)";
  if (m.component == 'z') return R"(GMT[+-]\d{1,2}(?::?\d{2})?)";
  if (m.component == 'P') return "[aApP][mM]";
  if (is_name(m)) return "[a-zA-Z]+";
  const std::string& p = m.presentation;
  if (p == "I" || p == "i") return "[IVXLCDMivxlcdm]+";
  if (p == "A" || p == "a") return "[a-zA-Z]+";
  if (p == "w" || p == "W" || p == "Ww") return R"([a-zA-Z]+(?:[ ,\-]+[a-zA-Z]+)*?)";
  std::string digits = R"(\d+)";
  if (fixed_width) {
    std::size_t n = 0;
    for (char ch : p) n += std::isdigit(static_cast<unsigned char>(ch)) || ch == '#' ? 1 : 0;
    if (m.max_width) n = *m.max_width;
    digits = fmt::format(R"(\d{{{}}})", n);
  } else if (m.max_width) {
    digits = fmt::format(R"(\d{{1,{}}})", *m.max_width);
  }
  return m.ordinal ? digits + "(?:st|nd|rd|th)" : digits;
}

std::string escape_regex(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(R"(\^$.|?*+()[]{}/-)").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::optional<double> component_value(const Marker& m, const std::string& text, std::size_t position) {
  if (m.component == 'P') return std::tolower(static_cast<unsigned char>(text[0])) == 'p' ? 1 : 0;
  if (is_name(m)) {
    const char* const* names = m.component == 'F' ? kDays : kMonths;
    int count = m.component == 'F' ? 7 : 12;
    for (int i = 0; i < count; ++i) {
      std::string full = names[i];
      std::string lower_text = apply_case(text, "n"), lower_full = apply_case(full, "n");
      if (lower_text == lower_full || (lower_text.size() >= 3 && lower_full.rfind(lower_text, 0) == 0)) return i + 1;
    }
    return std::nullopt;
  }
  std::string presentation = m.presentation;
  if (m.ordinal) presentation += ";o";
  return parse_integer(text, analyse_integer_picture(presentation, position));
}

}  // namespace

std::optional<double> parse_datetime(std::string_view text, const Value* picture_value, std::size_t position) {
  if (!picture_value || !picture_value->is_string()) {
    auto ms = parse_iso(text);
    if (!ms) raise("D3110", fmt::format("Unable to parse timestamp: {}", text), position);
    return ms;
  }
  auto parts = analyse(picture_value->as_string(), position);
  std::string pattern;
  std::vector<const Marker*> markers;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].literal) {
      pattern += escape_regex(parts[i].text);
      continue;
    }
    bool next_is_marker = i + 1 < parts.size() && !parts[i + 1].literal;
    pattern += "(" + pattern_for(parts[i].marker, next_is_marker) + ")";
    markers.push_back(&parts[i].marker);
  }
  if (markers.empty()) return std::nullopt;
  auto captured_groups = match_whole(*compile_regex(pattern, {}, position), text);
  if (!captured_groups) return std::nullopt;
  std::map<char, double> values;
  int offset = 0;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const Marker& m = *markers[i];
    std::string captured = (*captured_groups)[i + 1].value_or("");
    if (m.component == 'Z' || m.component == 'z') {
      std::string t = m.component == 'z' ? captured.substr(3) : captured;
      offset = t == "Z" ? 0 : parse_offset(t).value_or(0);
      continue;
    }
    if (m.component == 'f') {
      values['f'] = std::floor(std::stod("0." + captured) * 1000);
      continue;
    }
    auto v = component_value(m, captured, position);
    if (!v) return std::nullopt;
    values[m.component] = *v;
  }
  auto has = [&](char c) { return values.count(c) > 0; };
  if (has('X') || has('W') || has('w') || has('x'))
    raise("D3136", "The date/time picture string is missing specifiers required to parse the timestamp", position);
  // The components present must run without a gap from the largest to the smallest.
  const std::string order = has('d') ? "YdHmsf" : "YMDHmsf";
  std::string present;
  for (char c : order) present += (has(c) || (c == 'H' && has('h'))) ? '1' : '0';
  auto first = present.find('1'), last = present.rfind('1');
  if (first != std::string::npos && present.substr(first, last - first + 1).find('0') != std::string::npos)
    raise("D3136", "The date/time picture string is missing specifiers required to parse the timestamp", position);
  long long days;
  if (first == std::string::npos || first >= order.find('H')) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    days = floor_div(now, 86400000);
  } else {
    auto year = static_cast<long long>(has('Y') ? values['Y'] : 1970);
    if (has('d')) days = days_from_civil(year, 1, 1) + static_cast<long long>(values['d']) - 1;
    else days = days_from_civil(year, static_cast<unsigned>(has('M') ? values['M'] : 1), static_cast<unsigned>(has('D') ? values['D'] : 1));
  }
  double hour = has('H') ? values['H'] : 0;
  if (has('h')) {
    hour = values['h'] == 12 ? 0 : values['h'];
    if (has('P') && values['P'] == 1) hour += 12;
  }
  double ms = static_cast<double>(days) * kDay + (hour * 3600 + (has('m') ? values['m'] : 0) * 60 + (has('s') ? values['s'] : 0)) * 1000 +
              (has('f') ? values['f'] : 0) - offset * 60000.0;
  return ms;
}

}  // namespace flowstate::jsonata
