// States.UUID: a random version 4 UUID ("Returns a version 4 universally unique identifier
// (v4 UUID) generated using random numbers", intrinsic-functions.html).
#include <cstdint>
#include <random>
#include <string>

#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

// The randomness comes from a std::random_device-seeded engine local to the call, not from a
// hidden global RNG.
Result uuid(std::span<json::value>) {
  std::random_device device;
  std::mt19937_64 engine((static_cast<std::uint64_t>(device()) << 32) | device());
  std::uint64_t high = engine();
  std::uint64_t low = engine();
  high = (high & ~0xF000ULL) | 0x4000ULL;                  // version 4
  low = (low & ~(0xC0ULL << 56)) | (0x80ULL << 56);        // variant 10xx (RFC 4122)
  std::string text = fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32,
                                 (high >> 16) & 0xFFFF, high & 0xFFFF, low >> 48,
                                 low & 0xFFFFFFFFFFFFULL);
  return json::value(json::string(text));
}

}  // namespace flowstate::data::intrinsics
