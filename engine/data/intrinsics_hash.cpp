// States.Hash: a hex digest of a string with MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
#include <array>
#include <string>

#include <boost/json/string.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "engine/data/intrinsics.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kHash = "States.Hash";

// "The input data ... must be 10,000 characters or less" (intrinsic-functions.html).
constexpr std::size_t kMaxHashInput = 10000;

struct Algorithm {
  std::string_view name;
  const EVP_MD* (*digest)();
};

// Names are matched case-sensitively, as AWS lists them.
constexpr std::array<Algorithm, 5> kAlgorithms = {{
    {"MD5", &EVP_md5},
    {"SHA-1", &EVP_sha1},
    {"SHA-256", &EVP_sha256},
    {"SHA-384", &EVP_sha384},
    {"SHA-512", &EVP_sha512},
}};

}  // namespace

// Recorded: hash_calculations.hash-00..04 ("input data" with each algorithm). A non-string
// value is hashed as its compact JSON text (asl-reference.md: "stringified data").
Result hash(std::span<json::value> args) {
  std::string data = args[0].is_string() ? std::string(args[0].get_string())
                                         : serialize_json(args[0]);
  auto name = string_argument(kHash, "the algorithm (second argument)", args[1]);
  if (!name) return name.error();
  const Algorithm* algorithm = nullptr;
  for (const auto& candidate : kAlgorithms) {
    if (candidate.name == *name) algorithm = &candidate;
  }
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
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, algorithm->digest(), nullptr) != 1) {
    return invalid_argument(kHash, "the digest could not be computed");
  }
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return json::value(json::string(hex));
}

}  // namespace flowstate::data::intrinsics
