#include "engine/data/signature_v4.hpp"

#include <catch2/catch.hpp>

namespace flowstate::data {
namespace {

constexpr std::string_view kEmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST_CASE("signature v4: the signature of AWS's published test-suite request") {
  // From AWS's Signature Version 4 test suite (general/latest/gr/signature-v4-test-suite):
  // GET /?foo=Zoo&foo=aha with its Date and Host headers signed.
  SignatureV4Input input{"GET",
                         "/?foo=Zoo&foo=aha",
                         {{"date", "Mon, 09 Sep 2011 23:36:00 GMT"}, {"host", "host.foo.com"}},
                         std::string(kEmptyBodyHash),
                         "20110909T233600Z",
                         "20110909/us-east-1/host/aws4_request"};
  CHECK(signature_v4("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", input) ==
        "be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09");
  // Header values are trimmed and runs of spaces collapse before signing.
  input.headers[0].second = "  Mon, 09 Sep  2011   23:36:00 GMT ";
  CHECK(signature_v4("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", input) ==
        "be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09");
  input.headers[1].second = "host.bar.com";
  CHECK(signature_v4("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", input) !=
        "be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09");
}

TEST_CASE("signature v4: X-Amz-Date is written and read back") {
  auto when = parse_amz_date("20261206T001500Z");
  REQUIRE(when);
  CHECK(amz_date(*when) == "20261206T001500Z");
  CHECK(amz_date(*when + std::chrono::milliseconds(999)) == "20261206T001500Z");
  CHECK(!parse_amz_date("2026-12-06T00:15:00Z"));
  CHECK(!parse_amz_date("20261306T001500Z"));
  CHECK(!parse_amz_date("20261206T251500Z"));
  CHECK(!parse_amz_date("20261206T001500"));
}

}  // namespace
}  // namespace flowstate::data
