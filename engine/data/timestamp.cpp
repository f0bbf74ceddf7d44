#include "engine/data/timestamp.hpp"

#include <cstddef>

#include <fmt/format.h>

namespace flowstate::data {

namespace chrono = std::chrono;

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// Reads exactly `count` ASCII digits at `pos`; advances `pos` on success.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool read_char(std::string_view text, std::size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) return false;
  ++pos;
  return true;
}

}  // namespace

// Grammar (RFC 3339 §5.6 restricted as the ASL spec and DG state-choice require: "An uppercase
// T must separate the date and time portions. An uppercase Z must denote that a numeric time
// zone offset isn't present."):
//   YYYY-MM-DD "T" hh:mm:ss [ "." 1*9DIGIT ] ( "Z" / ("+" / "-") hh:mm )
// AWS's own cause text names Java's DateTimeFormatter.ISO_OFFSET_DATE_TIME ("does not reference
// a valid ISO-8601 extended offset date-time format string", conformance
// wait.wait_timestamppath~*), which reads at most 9 fraction digits and offsets up to ±18:00;
// "2025-01-01T00:00:00.000000Z" is accepted and "2025-01-01T00:00:00.000000" refused there.
std::optional<Timestamp> Timestamp::parse(std::string_view text) {
  std::size_t pos = 0;
  auto year = read_digits(text, pos, 4);
  if (!year || !read_char(text, pos, '-')) return std::nullopt;
  auto month = read_digits(text, pos, 2);
  if (!month || !read_char(text, pos, '-')) return std::nullopt;
  auto day = read_digits(text, pos, 2);
  if (!day || !read_char(text, pos, 'T')) return std::nullopt;
  auto hour = read_digits(text, pos, 2);
  if (!hour || !read_char(text, pos, ':')) return std::nullopt;
  auto minute = read_digits(text, pos, 2);
  if (!minute || !read_char(text, pos, ':')) return std::nullopt;
  auto second = read_digits(text, pos, 2);
  if (!second) return std::nullopt;

  chrono::year_month_day date{chrono::year{*year}, chrono::month{static_cast<unsigned>(*month)},
                              chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  std::int64_t nanos = 0;
  if (read_char(text, pos, '.')) {
    std::size_t digits = 0;
    std::int64_t scale = kNanosPerSecond;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 9) return std::nullopt;
      scale /= 10;
      nanos += (text[pos] - '0') * scale;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
  }

  std::int64_t offset_seconds = 0;
  if (!read_char(text, pos, 'Z')) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto offset_hours = read_digits(text, pos, 2);
    if (!offset_hours || !read_char(text, pos, ':')) return std::nullopt;
    auto offset_minutes = read_digits(text, pos, 2);
    if (!offset_minutes || *offset_minutes > 59) return std::nullopt;
    if (*offset_hours > 18 || (*offset_hours == 18 && *offset_minutes != 0)) return std::nullopt;
    offset_seconds = sign * (*offset_hours * 3600 + *offset_minutes * 60);
  }
  if (pos != text.size()) return std::nullopt;

  std::int64_t days = chrono::sys_days{date}.time_since_epoch().count();
  std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_seconds;
  return Timestamp{seconds, nanos};
}

Timestamp Timestamp::from(chrono::system_clock::time_point time) {
  auto nanos = chrono::duration_cast<chrono::nanoseconds>(time.time_since_epoch()).count();
  std::int64_t seconds = nanos / kNanosPerSecond;
  std::int64_t remainder = nanos % kNanosPerSecond;
  if (remainder < 0) {
    remainder += kNanosPerSecond;
    --seconds;
  }
  return Timestamp{seconds, remainder};
}

chrono::sys_time<chrono::nanoseconds> Timestamp::time_point() const {
  return chrono::sys_time<chrono::nanoseconds>{chrono::seconds{epoch_seconds} +
                                               chrono::nanoseconds{nanos}};
}

chrono::sys_seconds Timestamp::truncated_to_seconds() const {
  return chrono::sys_seconds{chrono::seconds{epoch_seconds}};
}

std::string format_timestamp(const Timestamp& timestamp) {
  std::int64_t days = timestamp.epoch_seconds / 86400;
  std::int64_t second_of_day = timestamp.epoch_seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  chrono::year_month_day date{chrono::sys_days{chrono::days{days}}};
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(date.year()),
                                unsigned(date.month()), unsigned(date.day()),
                                second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
  std::int64_t nanos = timestamp.nanos;
  if (nanos != 0) {
    if (nanos % 1'000'000 == 0) {
      out += fmt::format(".{:03}", nanos / 1'000'000);
    } else if (nanos % 1'000 == 0) {
      out += fmt::format(".{:06}", nanos / 1'000);
    } else {
      out += fmt::format(".{:09}", nanos);
    }
  }
  out += 'Z';
  return out;
}

std::string format_timestamp(chrono::system_clock::time_point time) {
  return format_timestamp(Timestamp::from(time));
}

}  // namespace flowstate::data
