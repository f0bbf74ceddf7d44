// States.Hash: a hex digest of a string with MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
#include <string>

#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/data/digest.hpp"
#include "engine/data/intrinsics.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kHash = "States.Hash";

// "The input data ... must be 10,000 characters or less" (intrinsic-functions.html).
constexpr std::size_t kMaxHashInput = 10000;


}  // namespace

// Recorded: hash_calculations.hash-00..04 ("input data" with each algorithm). A non-string
// value is hashed as its compact JSON text (asl-reference.md: "stringified data").
Result hash(std::span<json::value> args) {
  std::string data = args[0].is_string() ? std::string(args[0].get_string())
                                         : serialize_json(args[0]);
  auto name = string_argument(kHash, "the algorithm (second argument)", args[1]);
  if (!name) return name.error();
  // Names are matched case-sensitively, as AWS lists them.
  std::optional<DigestAlgorithm> algorithm = parse_digest_algorithm(*name);
  if (!algorithm) {
    return invalid_argument(kHash, fmt::format("the algorithm must be one of MD5, SHA-1, "
                                               "SHA-256, SHA-384, SHA-512, but was {}",
                                               describe_value(args[1])));
  }
  std::size_t length = utf16_length(data);
  if (length > kMaxHashInput) {
    return invalid_argument(kHash, fmt::format("the data has {} characters, more than the {} "
                                               "allowed",
                                               length, kMaxHashInput));
  }
  std::string hex = hex_digest(*algorithm, data);
  return json::value(json::string(hex));
}

}  // namespace flowstate::data::intrinsics
