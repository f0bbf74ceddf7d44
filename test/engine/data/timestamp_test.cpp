#include "engine/data/timestamp.hpp"

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

using flowstate::data::format_timestamp;
using flowstate::data::Timestamp;
namespace chrono = std::chrono;

TEST_CASE("Timestamp: parses RFC 3339 forms that AWS accepts", "[data][timestamp]") {
  struct Row {
    std::string text;
    std::int64_t epoch_seconds;
    std::int64_t nanos;
  };
  auto row = GENERATE(values<Row>({
      {"2016-03-14T01:59:00Z", 1457920740, 0},
      {"2016-03-14T01:59:00.5Z", 1457920740, 500'000'000},
      {"2016-03-14T01:59:00.123Z", 1457920740, 123'000'000},
      {"2016-03-14T01:59:00.243167252Z", 1457920740, 243'167'252},
      {"2016-03-14T01:59:00.000000Z", 1457920740, 0},
      {"2016-03-14T01:59:00.00Z", 1457920740, 0},
      {"2012-10-09T19:00:55+01:00", 1349805655, 0},
      {"2012-10-09T18:00:55-00:00", 1349805655, 0},
      {"2012-10-09T12:30:55-05:30", 1349805655, 0},
      {"2012-10-10T12:00:55+18:00", 1349805655, 0},
      {"2000-02-29T12:00:00Z", 951825600, 0},
      {"1969-12-31T23:59:59Z", -1, 0},
      {"1969-12-31T23:59:59.25Z", -1, 250'000'000},
  }));
  CAPTURE(row.text);
  auto parsed = Timestamp::parse(row.text);
  REQUIRE(parsed);
  CHECK(parsed->epoch_seconds == row.epoch_seconds);
  CHECK(parsed->nanos == row.nanos);
}

TEST_CASE("Timestamp: refuses what AWS refuses", "[data][timestamp]") {
  auto text = GENERATE(as<std::string>{},
                       "",                                  // empty
                       "2016-12-05T21:29:29",               // no zone (sharp edge 15)
                       "2016-12-05 21:29:29Z",              // space separator
                       "2016-12-05t21:29:29Z",              // lowercase t
                       "2016-12-05T21:29:29z",              // lowercase z
                       "2016-12-0521:29:29Z",               // no separator
                       "05-12-2016T21:29:29Z",              // day first
                       "2016-13-05T21:29:29Z",              // month 13
                       "2016-00-05T21:29:29Z",              // month 0
                       "2016-12-00T21:29:29Z",              // day 0
                       "2016-12-05T25:29:29Z",              // hour 25
                       "2016-12-05T24:00:00Z",              // hour 24
                       "2016-12-05T21:60:29Z",              // minute 60
                       "2016-12-05T21:29:60Z",              // second 60
                       "2016-02-30T00:00:00Z",              // Feb 30
                       "2015-02-29T00:00:00Z",              // Feb 29 in a common year
                       "2016-04-31T00:00:00Z",              // April 31
                       "2016-12-05T21:29Z",                 // no seconds
                       "2016-12-05T21:29:29.Z",             // empty fraction
                       "2016-12-05T21:29:29.1234567890Z",   // 10 fraction digits
                       "2016-12-05T21:29:29+0100",          // offset without colon
                       "2016-12-05T21:29:29+01",            // offset without minutes
                       "2016-12-05T21:29:29+19:00",         // offset beyond ±18:00
                       "2016-12-05T21:29:29+01:60",         // offset minute 60
                       "2016-12-05T21:29:29Z ",             // trailing space
                       "2016-12-05T21:29:29ZZ",             // trailing garbage
                       "+2016-12-05T21:29:29Z",             // signed year
                       "16-12-05T21:29:29Z",                // two-digit year
                       "2023-02-24",                        // date only
                       "2023-02-24 12:15:56.832957");       // Python str(datetime)
  CAPTURE(text);
  CHECK_FALSE(Timestamp::parse(text));
}

TEST_CASE("Timestamp: compares as instants whatever the offset", "[data][timestamp]") {
  auto utc = *Timestamp::parse("2012-10-09T18:00:55Z");
  auto plus_one = *Timestamp::parse("2012-10-09T19:00:55+01:00");
  auto later = *Timestamp::parse("2012-10-09T18:00:55.000000001Z");
  CHECK(utc == plus_one);
  CHECK(utc < later);
  CHECK(later > plus_one);
  CHECK(*Timestamp::parse("2012-10-09T18:00:55.1Z") == *Timestamp::parse("2012-10-09T18:00:55.100Z"));
}

TEST_CASE("Timestamp: Wait gets the instant truncated to whole seconds", "[data][timestamp]") {
  auto parsed = *Timestamp::parse("2016-03-05T21:29:29.999999999Z");
  CHECK(parsed.truncated_to_seconds() ==
        chrono::sys_days{chrono::year{2016} / 3 / 5} + chrono::hours{21} + chrono::minutes{29} +
            chrono::seconds{29});
  auto before_epoch = *Timestamp::parse("1969-12-31T23:59:59.5Z");
  CHECK(before_epoch.truncated_to_seconds().time_since_epoch() == chrono::seconds{-1});
  CHECK(parsed.time_point().time_since_epoch() ==
        chrono::seconds{1457213369} + chrono::nanoseconds{999'999'999});
}

TEST_CASE("Timestamp: formats UTC with 0, 3, 6 or 9 fraction digits as AWS does",
          "[data][timestamp]") {
  struct Row {
    std::int64_t epoch_seconds;
    std::int64_t nanos;
    std::string text;
  };
  auto row = GENERATE(values<Row>({
      {0, 0, "1970-01-01T00:00:00Z"},
      {1704164645, 678'000'000, "2024-01-02T03:04:05.678Z"},
      {1704164645, 600'000'000, "2024-01-02T03:04:05.600Z"},
      {1704164645, 123'400'000, "2024-01-02T03:04:05.123400Z"},
      {1704164645, 123'456'000, "2024-01-02T03:04:05.123456Z"},
      {1704164645, 1, "2024-01-02T03:04:05.000000001Z"},
      {1704164645, 243'167'252, "2024-01-02T03:04:05.243167252Z"},
      {-1, 500'000'000, "1969-12-31T23:59:59.500Z"},
      {951825600, 0, "2000-02-29T12:00:00Z"},
  }));
  Timestamp timestamp{row.epoch_seconds, row.nanos};
  CHECK(format_timestamp(timestamp) == row.text);
  CHECK(Timestamp::parse(row.text) == timestamp);
}

TEST_CASE("Timestamp: formats a system_clock time point", "[data][timestamp]") {
  chrono::system_clock::time_point time =
      chrono::sys_days{chrono::year{2024} / 1 / 2} + chrono::hours{3} + chrono::minutes{4} +
      chrono::seconds{5} + chrono::milliseconds{678};
  CHECK(format_timestamp(time) == "2024-01-02T03:04:05.678Z");
  CHECK(Timestamp::from(time) == Timestamp{1704164645, 678'000'000});
  auto before_epoch = chrono::system_clock::time_point{} - chrono::milliseconds{1500};
  CHECK(Timestamp::from(before_epoch) == Timestamp{-2, 500'000'000});
  CHECK(format_timestamp(before_epoch) == "1969-12-31T23:59:58.500Z");
}
