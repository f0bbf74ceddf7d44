#include "engine/jsonata/integer_picture.hpp"

#include <cmath>
#include <map>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {
namespace {

// Zeros of the Unicode decimal digit families (each family is zero..zero+9).
constexpr char32_t kZeros[] = {0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66,
                               0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810,
                               0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
                               0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x1D7CE,
                               0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6};

std::optional<char32_t> digit_zero(char32_t c) {
  for (char32_t z : kZeros)
    if (c >= z && c <= z + 9) return z;
  return std::nullopt;
}

bool is_letter_or_digit(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit_zero(c) || c > 0x7F;
}

const char* const kOnes[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                             "eighteen", "nineteen"};
const char* const kOrdinalOnes[] = {"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                                    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
const char* const kTens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
const char* const kOrdinalTens[] = {"", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
                                    "seventieth", "eightieth", "ninetieth"};
const std::pair<double, const char*> kScales[] = {{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"},
                                                  {1e3, "thousand"}, {1e2, "hundred"}};

std::string words(double n, bool ordinal) {
  if (n < 20) return ordinal ? kOrdinalOnes[static_cast<int>(n)] : kOnes[static_cast<int>(n)];
  if (n < 100) {
    int tens = static_cast<int>(n) / 10, ones = static_cast<int>(n) % 10;
    if (ones == 0) return ordinal ? kOrdinalTens[tens] : kTens[tens];
    return std::string(kTens[tens]) + "-" + (ordinal ? kOrdinalOnes[ones] : kOnes[ones]);
  }
  for (const auto& [scale, name] : kScales) {
    if (n < scale) continue;
    double high = std::floor(n / scale);
    double rest = n - high * scale;
    if (rest < 0) rest = 0;
    std::string out = words(high, false) + " " + name;
    if (rest < 1) return ordinal ? out + "th" : out;
    out += rest < 100 ? " and " : ", ";
    return out + words(rest, ordinal);
  }
  return {};
}

std::string roman(long long n) {
  static const std::pair<int, const char*> kNumerals[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                          {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                          {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                          {1, "i"}};
  std::string out;
  for (const auto& [value, text] : kNumerals)
    while (n >= value) {
      out += text;
      n -= value;
    }
  return out;
}

std::string to_upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string to_title(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    std::string word = s.substr(i, j - i);
    if (!word.empty() && word != "and") word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    out += word;
    if (j < s.size()) out.push_back(s[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string integer_words(double value, bool ordinal) { return words(value, ordinal); }

std::string ordinal_suffix(double value) {
  auto n = static_cast<long long>(std::fabs(value));
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
  }
}

IntegerPicture analyse_integer_picture(std::string_view text, std::size_t position) {
  IntegerPicture p;
  std::string_view primary = text;
  if (auto semi = text.rfind(';'); semi != std::string_view::npos && semi > 0) {
    primary = text.substr(0, semi);
    std::string_view modifier = text.substr(semi + 1);
    p.ordinal = !modifier.empty() && modifier[0] == 'o';
  }
  if (primary == "A") { p.kind = IntegerPicture::Kind::alphabetic_upper; return p; }
  if (primary == "a") { p.kind = IntegerPicture::Kind::alphabetic_lower; return p; }
  if (primary == "I") { p.kind = IntegerPicture::Kind::roman_upper; return p; }
  if (primary == "i") { p.kind = IntegerPicture::Kind::roman_lower; return p; }
  if (primary == "W") { p.kind = IntegerPicture::Kind::words_upper; return p; }
  if (primary == "w") { p.kind = IntegerPicture::Kind::words_lower; return p; }
  if (primary == "Ww") { p.kind = IntegerPicture::Kind::words_title; return p; }
  auto points = code_points(primary);
  std::optional<char32_t> zero;
  std::size_t digits = 0, mandatory = 0;
  std::vector<std::pair<std::size_t, std::string>> separators_from_left;  // (digits before, text)
  for (char32_t c : points) {
    if (auto z = digit_zero(c)) {
      if (zero && *zero != *z) raise("D3131", "In a decimal digit pattern, all digits must be from the same decimal group", position);
      zero = z;
      ++digits;
      ++mandatory;
    } else if (c == '#') {
      ++digits;
    } else if (!is_letter_or_digit(c)) {
      std::string sep;
      append_utf8(sep, c);
      separators_from_left.emplace_back(digits, sep);
    } else {
      raise("D3130", "Formatting or parsing an integer as a sequence starting with " + to_utf8(points, 0, 1) + " is not supported by this implementation", position);
    }
  }
  if (!zero) raise("D3130", "Formatting or parsing an integer as a sequence starting with " + to_utf8(points, 0, 1) + " is not supported by this implementation", position);
  p.zero = *zero;
  p.mandatory_digits = mandatory;
  p.total_digits = digits;
  for (const auto& [before, sep] : separators_from_left) p.separators.emplace_back(digits - before, sep);
  if (!p.separators.empty()) {
    bool same = true;
    for (const auto& s : p.separators) same = same && s.second == p.separators[0].second;
    std::size_t g = p.separators.back().first;  // the rightmost separator's position
    bool regular = same && g > 0;
    for (const auto& s : p.separators) regular = regular && s.first % g == 0;
    for (std::size_t m = g; regular && m < digits; m += g) {
      bool found = false;
      for (const auto& s : p.separators) found = found || s.first == m;
      regular = found;
    }
    if (regular) p.regular_group = g;
  }
  return p;
}

std::string format_integer(double value, const IntegerPicture& p) {
  double n = std::trunc(value);
  bool negative = n < 0;
  double a = std::fabs(n);
  std::string out;
  switch (p.kind) {
    case IntegerPicture::Kind::alphabetic_upper:
    case IntegerPicture::Kind::alphabetic_lower: {
      auto k = static_cast<long long>(a);
      char base = p.kind == IntegerPicture::Kind::alphabetic_upper ? 'A' : 'a';
      while (k > 0) {
        --k;
        out.insert(out.begin(), static_cast<char>(base + k % 26));
        k /= 26;
      }
      break;
    }
    case IntegerPicture::Kind::roman_upper: out = to_upper(roman(static_cast<long long>(a))); break;
    case IntegerPicture::Kind::roman_lower: out = roman(static_cast<long long>(a)); break;
    case IntegerPicture::Kind::words_lower: out = words(a, p.ordinal); break;
    case IntegerPicture::Kind::words_upper: out = to_upper(words(a, p.ordinal)); break;
    case IntegerPicture::Kind::words_title: out = to_title(words(a, p.ordinal)); break;
    case IntegerPicture::Kind::decimal: {
      char buf[400];
      std::snprintf(buf, sizeof buf, "%.0f", a);
      std::string digits = buf;
      if (digits.size() < p.mandatory_digits) digits.insert(0, p.mandatory_digits - digits.size(), '0');
      std::string grouped;
      std::size_t count = 0;
      for (std::size_t i = digits.size(); i-- > 0;) {
        if (count > 0) {
          if (p.regular_group) {
            if (count % p.regular_group == 0) grouped.insert(0, p.separators[0].second);
          } else {
            for (const auto& [pos, sep] : p.separators)
              if (pos == count) grouped.insert(0, sep);
          }
        }
        std::string d;
        append_utf8(d, p.zero + static_cast<char32_t>(digits[i] - '0'));
        grouped.insert(0, d);
        ++count;
      }
      out = grouped;
      if (p.ordinal) out += ordinal_suffix(a);
      break;
    }
  }
  return negative ? "-" + out : out;
}

std::optional<double> parse_integer(std::string_view text, const IntegerPicture& p) {
  std::string s(text);
  switch (p.kind) {
    case IntegerPicture::Kind::alphabetic_upper:
    case IntegerPicture::Kind::alphabetic_lower: {
      double v = 0;
      for (char c : s) {
        if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 26 + (std::tolower(static_cast<unsigned char>(c)) - 'a' + 1);
      }
      return v;
    }
    case IntegerPicture::Kind::roman_upper:
    case IntegerPicture::Kind::roman_lower: {
      static const std::map<char, int> kValues = {{'i', 1}, {'v', 5}, {'x', 10}, {'l', 50}, {'c', 100}, {'d', 500}, {'m', 1000}};
      double v = 0;
      for (std::size_t i = 0; i < s.size(); ++i) {
        auto it = kValues.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
        if (it == kValues.end()) return std::nullopt;
        int next = 0;
        if (i + 1 < s.size()) {
          auto nx = kValues.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + 1]))));
          if (nx != kValues.end()) next = nx->second;
        }
        v += it->second < next ? -it->second : it->second;
      }
      return v;
    }
    case IntegerPicture::Kind::words_lower:
    case IntegerPicture::Kind::words_upper:
    case IntegerPicture::Kind::words_title: {
      std::vector<std::string> list;
      std::string word;
      for (char c : s + " ") {
        if (std::isalpha(static_cast<unsigned char>(c))) {
          word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else if (!word.empty()) {
          list.push_back(word);
          word.clear();
        }
      }
      auto value_of = [](const std::string& w) -> std::optional<double> {
        for (int i = 0; i < 20; ++i)
          if (w == kOnes[i] || w == kOrdinalOnes[i]) return i;
        for (int i = 2; i < 10; ++i)
          if (w == kTens[i] || w == kOrdinalTens[i]) return i * 10;
        return std::nullopt;
      };
      auto scale_of = [](const std::string& w) -> double {
        for (const auto& [scale, name] : kScales)
          if (w == name || w == std::string(name) + "th") return scale;
        return 0;
      };
      double total = 0, current = 0;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& w = list[i];
        if (w == "and") continue;
        if (auto v = value_of(w)) {
          current += *v;
        } else if (double scale = scale_of(w)) {
          current = (current == 0 ? 1 : current) * scale;
          bool next_is_scale = i + 1 < list.size() && scale_of(list[i + 1]) > 0;
          if (scale >= 1000 && !next_is_scale) {
            total += current;
            current = 0;
          }
        } else {
          return std::nullopt;
        }
      }
      return total + current;
    }
    case IntegerPicture::Kind::decimal: {
      double v = 0;
      bool any = false;
      for (char32_t c : code_points(s)) {
        if (c >= p.zero && c <= p.zero + 9) {
          v = v * 10 + static_cast<double>(c - p.zero);
          any = true;
        } else if (p.ordinal && std::isalpha(static_cast<int>(c))) {
          continue;
        }
      }
      if (!any) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace flowstate::jsonata
