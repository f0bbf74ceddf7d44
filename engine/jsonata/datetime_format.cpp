#include "engine/jsonata/datetime_format.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {

namespace {

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

}  // namespace

std::string format_datetime(double millis, const Value* picture, const Value* timezone, std::size_t position) {
  (void)picture;
  (void)timezone;
  (void)position;
  auto ms = static_cast<long long>(std::floor(millis));
  long long days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  long long rest = ms - days * 86400000;
  Civil c = civil_from_days(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", c.year, c.month, c.day, rest / 3600000,
                rest / 60000 % 60, rest / 1000 % 60, rest % 1000);
  return buf;
}

std::optional<double> parse_datetime(std::string_view text, const Value* picture, std::size_t position) {
  (void)picture;
  (void)position;
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, n = 0;
  double frac = 0;
  std::string t(text);
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) < 3) {
    raise("D3110", "The argument to $toMillis must be an ISO 8601 timestamp", position);
  }
  consumed = n;
  long long offset_minutes = 0;
  if (static_cast<std::size_t>(consumed) < t.size() && (t[static_cast<std::size_t>(consumed)] == 'T' || t[static_cast<std::size_t>(consumed)] == ' ')) {
    if (std::sscanf(t.c_str() + consumed + 1, "%2d:%2d%n", &h, &mi, &n) < 2)
      raise("D3110", "The argument to $toMillis must be an ISO 8601 timestamp", position);
    consumed += 1 + n;
    if (static_cast<std::size_t>(consumed) < t.size() && t[static_cast<std::size_t>(consumed)] == ':') {
      std::sscanf(t.c_str() + consumed + 1, "%2d%n", &s, &n);
      consumed += 1 + n;
      if (static_cast<std::size_t>(consumed) < t.size() && t[static_cast<std::size_t>(consumed)] == '.') {
        std::size_t start = static_cast<std::size_t>(consumed);
        std::size_t end = start + 1;
        while (end < t.size() && std::isdigit(static_cast<unsigned char>(t[end]))) ++end;
        frac = std::strtod(t.substr(start, end - start).c_str(), nullptr);
        consumed = static_cast<int>(end);
      }
    }
    std::string_view zone(t.c_str() + consumed);
    if (zone == "Z" || zone.empty()) {
    } else if (zone[0] == '+' || zone[0] == '-') {
      int zh = 0, zm = 0;
      if (std::sscanf(std::string(zone.substr(1)).c_str(), "%2d:%2d", &zh, &zm) < 1 &&
          std::sscanf(std::string(zone.substr(1)).c_str(), "%2d%2d", &zh, &zm) < 1)
        raise("D3110", "The argument to $toMillis must be an ISO 8601 timestamp", position);
      offset_minutes = (zh * 60 + zm) * (zone[0] == '-' ? -1 : 1);
    } else {
      raise("D3110", "The argument to $toMillis must be an ISO 8601 timestamp", position);
    }
  } else if (static_cast<std::size_t>(consumed) != t.size()) {
    raise("D3110", "The argument to $toMillis must be an ISO 8601 timestamp", position);
  }
  long long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  double ms = static_cast<double>(days) * 86400000.0 + (h * 3600 + mi * 60 + s) * 1000.0 + std::round(frac * 1000) -
              static_cast<double>(offset_minutes) * 60000.0;
  return ms;
}

}  // namespace flowstate::jsonata
