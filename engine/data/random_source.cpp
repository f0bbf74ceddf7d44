#include "engine/data/random_source.hpp"

#include <sys/random.h>

#include <random>

#include <fmt/format.h>

namespace flowstate::data {

std::uint64_t random_u64() {
  std::uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, 0) == static_cast<ssize_t>(sizeof bits)) return bits;
  std::random_device device;  // getrandom fails only before the kernel's pool is ready
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

std::string random_uuid() {
  std::uint64_t high = random_u64();
  std::uint64_t low = random_u64();
  high = (high & ~0xF000ULL) | 0x4000ULL;            // version 4
  low = (low & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10xx (RFC 4122)
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace flowstate::data
