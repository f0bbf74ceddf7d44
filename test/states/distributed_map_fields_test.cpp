// DistributedMap's tolerated-failure threshold: the *Path values read per run with AWS's
// States.Runtime causes (conformance base_scenarios.map_state_tolerated_failure_*), and when
// a Map Run's failures exceed it (maprun-fail-threshold.html).
#include "states/distributed_map_fields.hpp"

#include <string>

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include "engine/data/json_codec.hpp"

namespace flowstate::states {
namespace {

namespace json = boost::json;

DistributedMap with_paths() {
  DistributedMap map;
  auto count = data::JsonPath::compile("$.count");
  auto percentage = data::JsonPath::compile("$.percentage");
  REQUIRE(count.has_value());
  REQUIRE(percentage.has_value());
  map.tolerated_failure_count_path = std::move(*count);
  map.tolerated_failure_percentage_path = std::move(*percentage);
  return map;
}

// The cause of the failure the threshold read from `input` gives, or "" when it is usable.
std::string cause_for(const DistributedMap& map, std::string_view input) {
  json::value value = *data::parse_json(input);
  auto tolerance = map.tolerance(data::PathScope{value});
  if (tolerance) return "";
  CHECK(tolerance.error().error == "States.Runtime");
  return tolerance.error().cause.value_or("");
}

TEST_CASE("DistributedMap: ToleratedFailure*Path values are checked as AWS checks them",
          "[states][distributed]") {
  DistributedMap map = with_paths();
  CHECK(cause_for(map, R"({"count": 2, "percentage": 12.5})").empty());
  CHECK(cause_for(map, R"({"count": 0, "percentage": 100})").empty());
  CHECK(cause_for(map, R"({"count": -1, "percentage": 0})") == "ToleratedFailureCount cannot be negative.");
  CHECK(cause_for(map, R"({"count": "NoNumber", "percentage": 0})") ==
        "The ToleratedFailureCountPath field refers to value \"NoNumber\" which is not a valid "
        "integer: $.count");
  CHECK(cause_for(map, R"({"count": {}, "percentage": 0})") ==
        "The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: "
        "$.count");
  CHECK(cause_for(map, R"({"count": 1, "percentage": 100.1})") ==
        "ToleratedFailurePercentage must be between 0 and 100.");
  CHECK(cause_for(map, R"({"count": 1, "percentage": -1.1})") ==
        "ToleratedFailurePercentage must be between 0 and 100.");
  CHECK(cause_for(map, R"({"count": 1, "percentage": "NoNumber"})") ==
        "The ToleratedFailurePercentagePath field refers to value \"NoNumber\" which is not a valid "
        "float: $.percentage");
  // A numeric string counts, as AWS reads the values as text.
  CHECK(cause_for(map, R"({"count": "1", "percentage": "12.5"})").empty());
  CHECK(cause_for(map, R"({"count": "1.5", "percentage": 0})") ==
        "The ToleratedFailureCountPath field refers to value \"1.5\" which is not a valid "
        "integer: $.count");
  CHECK(cause_for(map, R"({"count": 1})") ==
        "The ToleratedFailurePercentagePath field refers to value \"null\" which is not a valid "
        "float: $.percentage");
}

TEST_CASE("FailureTolerance: a Map Run fails when its failures exceed either threshold",
          "[states][distributed]") {
  SECTION("neither set: no failure is tolerated") {
    FailureTolerance none;
    CHECK_FALSE(none.exceeded(0, 10));
    CHECK(none.exceeded(1, 10));
  }
  SECTION("a count tolerates that many failures") {
    FailureTolerance count{2, std::nullopt};
    CHECK_FALSE(count.exceeded(2, 10));
    CHECK(count.exceeded(3, 10));
  }
  SECTION("a percentage counts failures over all items") {
    FailureTolerance percentage{std::nullopt, 25.0};
    CHECK_FALSE(percentage.exceeded(1, 4));
    CHECK(percentage.exceeded(2, 4));
    CHECK_FALSE(FailureTolerance{std::nullopt, 100.0}.exceeded(4, 4));
  }
  SECTION("both set: exceeding either fails") {
    FailureTolerance both{1, 50.0};
    CHECK_FALSE(both.exceeded(1, 4));
    CHECK(both.exceeded(2, 10));  // the count
    CHECK(FailureTolerance{5, 10.0}.exceeded(2, 10));  // the percentage
  }
}

}  // namespace
}  // namespace flowstate::states
