// Numeric functions: $number, $abs, $floor, $ceil, $round, $power, $sqrt, $random, $sum,
// $max, $min, $average, $formatBase ($formatNumber and $formatInteger have their own files).
#include <cmath>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/function_library.hpp"
#include "engine/jsonata/number_format.hpp"
#include "engine/jsonata/string_conversion.hpp"

namespace flowstate::jsonata {

double round_half_even(double value, int precision) {
  auto shift = [](double v, int places) {
    std::string s = format_number(v);
    auto e = s.find('e');
    int exponent = places;
    if (e != std::string::npos) {
      exponent += std::stoi(s.substr(e + 1));
      s.erase(e);
    }
    return std::strtod((s + "e" + std::to_string(exponent)).c_str(), nullptr);
  };
  double v = shift(value, precision);
  double r = std::round(v);
  double diff = r - v;
  if (std::fabs(diff) == 0.5 && std::fmod(r, 2) != 0) r -= std::copysign(1.0, diff);
  return shift(r, -precision);
}

namespace {

Value unary(NativeCall& c, double (*f)(double)) {
  if (c.arg(0).is_undefined()) return {};
  return Value::number(f(c.arg(0).as_number()));
}

std::optional<double> parse_number_text(std::string_view s) {
  std::string t(s);
  auto trim_start = t.find_first_not_of(" \t\n\r");
  if (trim_start == std::string::npos) return std::nullopt;
  t = t.substr(trim_start, t.find_last_not_of(" \t\n\r") - trim_start + 1);
  auto radix = [&](int base, std::size_t prefix) -> std::optional<double> {
    if (t.size() <= prefix) return std::nullopt;
    char* end = nullptr;
    double v = static_cast<double>(std::strtoull(t.c_str() + prefix, &end, base));
    if (*end) return std::nullopt;
    return v;
  };
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) return radix(16, 2);
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) return radix(2, 2);
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) return radix(8, 2);
  // JSON number syntax only ("1e3", "-0.5"; not "Infinity" or "1.").
  std::size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  }
  if (i != t.size()) return std::nullopt;
  double v = std::strtod(t.c_str(), nullptr);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

template <class F>
Value fold(NativeCall& c, F f) {
  const Value& a = c.arg(0);
  if (a.is_undefined()) return {};
  if (a.size() == 0) return {};
  double acc = a.at(0).as_number();
  for (std::size_t i = 1, n = a.size(); i < n; ++i) acc = f(acc, a.at(i).as_number());
  return Value::number(acc);
}

}  // namespace

void add_numeric_functions(NativeTable& t) {
  add(t, "number", "<(nsb)-:n>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined()) return {};
    if (a.is_number()) return a;
    if (a.is_boolean()) return Value::number(a.as_boolean() ? 1 : 0);
    if (a.is_string()) {
      if (auto v = parse_number_text(a.as_string())) return Value::number(*v);
    }
    raise("D3030", fmt::format("Unable to cast value to a number: {}", to_text(a)), c.position);
  });
  add(t, "abs", "<n-:n>", [](NativeCall& c) { return unary(c, [](double x) { return std::fabs(x); }); });
  add(t, "floor", "<n-:n>", [](NativeCall& c) { return unary(c, [](double x) { return std::floor(x); }); });
  add(t, "ceil", "<n-:n>", [](NativeCall& c) { return unary(c, [](double x) { return std::ceil(x); }); });
  add(t, "round", "<n-n?:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    int precision = c.arg(1).is_undefined() ? 0 : static_cast<int>(c.arg(1).as_number());
    return Value::number(round_half_even(c.arg(0).as_number(), precision));
  });
  add(t, "power", "<n-n:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    double v = std::pow(c.arg(0).as_number(), c.arg(1).as_number());
    if (!std::isfinite(v))
      raise("D3061", fmt::format("The power function has resulted in a value that cannot be represented as a JSON number: base={}, exponent={}",
                                 c.arg(0).as_number(), c.arg(1).as_number()), c.position);
    return Value::number(v);
  });
  add(t, "sqrt", "<n-:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    if (c.arg(0).as_number() < 0)
      raise("D3060", "The sqrt function cannot be applied to a negative number", c.position);
    return Value::number(std::sqrt(c.arg(0).as_number()));
  });
  add(t, "random", "<:n>", [](NativeCall&) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return Value::number(std::uniform_real_distribution<double>(0, 1)(engine));
  });
  add(t, "sum", "<a<n>:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    double s = 0;
    for (std::size_t i = 0, n = c.arg(0).size(); i < n; ++i) s += c.arg(0).at(i).as_number();
    return Value::number(s);
  });
  add(t, "max", "<a<n>:n>", [](NativeCall& c) { return fold(c, [](double a, double b) { return std::max(a, b); }); });
  add(t, "min", "<a<n>:n>", [](NativeCall& c) { return fold(c, [](double a, double b) { return std::min(a, b); }); });
  add(t, "average", "<a<n>:n>", [](NativeCall& c) -> Value {
    const Value& a = c.arg(0);
    if (a.is_undefined() || a.size() == 0) return {};
    double s = 0;
    for (std::size_t i = 0, n = a.size(); i < n; ++i) s += a.at(i).as_number();
    return Value::number(s / static_cast<double>(a.size()));
  });
  add(t, "formatBase", "<n-n?:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    double value = round_half_even(c.arg(0).as_number(), 0);
    int radix = c.arg(1).is_undefined() ? 10 : static_cast<int>(c.arg(1).as_number());
    if (radix < 2 || radix > 36)
      raise("D3100", fmt::format("The radix of the formatBase function must be between 2 and 36.  It was given {}", radix),
            c.position);
    bool negative = value < 0;
    auto n = static_cast<unsigned long long>(std::fabs(value));
    std::string digits;
    do {
      digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % static_cast<unsigned>(radix)]);
      n /= static_cast<unsigned>(radix);
    } while (n);
    return Value::string(negative ? "-" + digits : digits);
  });
  add_number_format_functions(t);
}

}  // namespace flowstate::jsonata
