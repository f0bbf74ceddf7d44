// Tests of the hash intrinsic (States.Hash); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/hash_calculations.*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

namespace json = boost::json;
using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.Hash: hex digests with each algorithm", "[data][intrinsics]") {
  auto [algorithm, expected] = GENERATE(table<std::string, std::string>({
      {"MD5", "812f45842bc6d66ee14572ce20db8e86"},
      {"SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"},
      {"SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"},
      {"SHA-384",
       "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"},
      {"SHA-512",
       "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"},
  }));
  CAPTURE(algorithm);
  CHECK(run("States.Hash($.data, $.algorithm)",
            R"({"data": "input data", "algorithm": ")" + algorithm + R"("})")
            .output == "\"" + expected + "\"");
}

TEST_CASE("States.Hash: literal arguments work too", "[data][intrinsics]") {
  // Recorded in assign_reference_variables.reference_assign~BASE_REFERENCE_IN_INTRINSIC_FUNCTION.
  CHECK(run("States.Hash('Hash this string', 'SHA-256')").output ==
        R"("1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e")");
}

TEST_CASE("States.Hash: bad algorithms and oversized data fail", "[data][intrinsics]") {
  auto lower = run("States.Hash('x', 'sha-256')");
  CHECK(lower.error == "States.Runtime");
  CHECK(lower.cause ==
        R"(Invalid arguments in States.Hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was "sha-256")");
  json::object input;
  input["d"] = std::string(10001, 'a');
  auto big = run("States.Hash($.d, 'MD5')", flowstate::data::serialize_json(input));
  CHECK(big.error == "States.Runtime");
  CHECK(big.cause ==
        "Invalid arguments in States.Hash: the data has 10001 characters, more than the 10000 "
        "allowed");
  input["d"] = std::string(10000, 'a');
  CHECK(run("States.Hash($.d, 'MD5')", flowstate::data::serialize_json(input)).error.empty());
  CHECK(run("States.Hash('x')").cause == "States.Hash takes 2 arguments, but 1 was given");
}
