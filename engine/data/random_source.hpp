// Randomness from the kernel (getrandom(2)) for what must differ between processes: seeds,
// execution ids and names, States.UUID. Not std::random_device: on x86 it probes CPUID and
// draws with RDRAND, which a VM may trap (0.1-0.2 ms measured here, against ~1 us), and a
// std::mt19937_64 seeded from its 32 bits repeats across processes after ~2^16 of them.
#pragma once

#include <cstdint>
#include <string>

namespace flowstate::data {

/// 64 random bits.
std::uint64_t random_u64();

/// A random version 4 UUID in its text form, e.g. "1b4e28ba-2fa1-4d2e-883f-0016d3cca427".
std::string random_uuid();

}  // namespace flowstate::data
