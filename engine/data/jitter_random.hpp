// JitterRandom: the seeded generator behind Retry's full jitter (one per execution and Map
// Run child). SplitMix64: 8 bytes of state where std::mt19937_64 keeps 2.5 KB, which every
// waiting execution of a server carried; statistically plenty for back-off delays, and a
// standard UniformRandomBitGenerator, so <random>'s distributions take it.
#pragma once

#include <cstdint>
#include <limits>

namespace flowstate::data {

class JitterRandom {
 public:
  using result_type = std::uint64_t;

  explicit JitterRandom(std::uint64_t seed) : state_(seed) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

}  // namespace flowstate::data
