// Timestamp: an instant written the way ASL requires (RFC 3339 with an uppercase "T" and a "Z"
// or ±hh:mm offset), as Choice rules compare it, Wait states wait for it and the context object
// reports it.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowstate::data {

struct Timestamp {
  std::int64_t epoch_seconds = 0;  ///< seconds since 1970-01-01T00:00:00Z
  std::int64_t nanos = 0;          ///< 0..999'999'999, always added to epoch_seconds

  /// Parses "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123+01:00", ... Returns nullopt for
  /// anything AWS refuses: no zone ("2016-12-05T21:29:29"), a space or lowercase separator,
  /// month 13, hour 25, Feb 30, more than 9 fraction digits.
  static std::optional<Timestamp> parse(std::string_view text);

  static Timestamp from(std::chrono::system_clock::time_point time);

  /// The instant as a time point (nanosecond precision).
  std::chrono::sys_time<std::chrono::nanoseconds> time_point() const;

  /// What a Wait state waits for: AWS drops the fractional seconds of Timestamp and
  /// TimestampPath values (DG state-wait; asl-reference.md 1.4).
  std::chrono::sys_seconds truncated_to_seconds() const;

  /// Instants compare equal whatever offset they were written with.
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

/// ISO 8601 UTC as AWS writes context-object and history times, e.g.
/// "2024-01-02T03:04:05.678Z": the fraction has 0, 3, 6 or 9 digits, the fewest that hold it
/// (DG input-output-contextobject; the same rule as Java's Instant.toString).
std::string format_timestamp(const Timestamp& timestamp);
std::string format_timestamp(std::chrono::system_clock::time_point time);

/// Milliseconds since 1970-01-01T00:00:00Z, as the store and the .sync integrations keep
/// dates, and back.
inline std::int64_t epoch_milliseconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point from_epoch_milliseconds(std::int64_t milliseconds) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(milliseconds));
}

}  // namespace flowstate::data
