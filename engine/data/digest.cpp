#include "engine/data/digest.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace flowstate::data {

namespace {

template <typename T>
constexpr T rotl(T x, int n) {
  return static_cast<T>((x << n) | (x >> (sizeof(T) * 8 - n)));
}
template <typename T>
constexpr T rotr(T x, int n) {
  return static_cast<T>((x >> n) | (x << (sizeof(T) * 8 - n)));
}

// Appends the padding both families use: 0x80, zeros, then the bit length in
// `length_bytes` bytes (little-endian for MD5, big-endian for SHA).
std::vector<unsigned char> padded(std::string_view data, std::size_t block, std::size_t length_bytes,
                                  bool big_endian) {
  std::vector<unsigned char> out(data.begin(), data.end());
  out.push_back(0x80);
  while ((out.size() + length_bytes) % block != 0) out.push_back(0);
  std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  std::array<unsigned char, 16> length{};
  for (std::size_t i = 0; i < 8; ++i) {
    unsigned char byte = static_cast<unsigned char>(bits >> (8 * i));
    if (big_endian) length[length_bytes - 1 - i] = byte;
    else length[i] = byte;
  }
  out.insert(out.end(), length.begin(), length.begin() + static_cast<std::ptrdiff_t>(length_bytes));
  return out;
}

template <typename Word>
Word load_big(const unsigned char* p) {
  Word w = 0;
  for (std::size_t i = 0; i < sizeof(Word); ++i) w = static_cast<Word>((w << 8) | p[i]);
  return w;
}

template <typename Word, std::size_t N>
std::string hex_big(const std::array<Word, N>& state, std::size_t words) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t w = 0; w < words; ++w)
    for (int shift = static_cast<int>(sizeof(Word) * 8) - 8; shift >= 0; shift -= 8) {
      unsigned byte = static_cast<unsigned>((state[w] >> shift) & 0xff);
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  return out;
}

// RFC 1321.
std::string md5(std::string_view data) {
  static constexpr std::array<std::uint32_t, 64> k = [] {
    std::array<std::uint32_t, 64> table{};
    // floor(abs(sin(i + 1)) * 2^32), precomputed in RFC 1321's table.
    constexpr std::uint32_t values[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    for (std::size_t i = 0; i < 64; ++i) table[i] = values[i];
    return table;
  }();
  static constexpr int shifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                     5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                     4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                     6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  std::array<std::uint32_t, 4> h = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  auto message = padded(data, 64, 8, /*big_endian=*/false);
  for (std::size_t offset = 0; offset < message.size(); offset += 64) {
    std::uint32_t m[16];
    for (std::size_t i = 0; i < 16; ++i) {
      const unsigned char* p = &message[offset + 4 * i];
      m[i] = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
             std::uint32_t(p[3]) << 24;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (std::uint32_t i = 0; i < 64; ++i) {
      std::uint32_t f, g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      std::uint32_t next = d;
      d = c;
      c = b;
      b = b + rotl(a + f + k[i] + m[g], shifts[i]);
      a = next;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::uint32_t word : h)
    for (int i = 0; i < 4; ++i) {
      unsigned byte = (word >> (8 * i)) & 0xff;
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  return out;
}

// FIPS 180-4, 6.1.
std::string sha1(std::string_view data) {
  std::array<std::uint32_t, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  auto message = padded(data, 64, 8, /*big_endian=*/true);
  for (std::size_t offset = 0; offset < message.size(); offset += 64) {
    std::uint32_t w[80];
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_big<std::uint32_t>(&message[offset + 4 * t]);
    for (std::size_t t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (std::size_t t = 0; t < 80; ++t) {
      std::uint32_t f, k;
      if (t < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (t < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
      e = d, d = c, c = rotl(b, 30), b = a, a = temp;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  return hex_big(h, 5);
}

// FIPS 180-4, 6.2.
std::string sha256(std::string_view data) {
  static constexpr std::uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto message = padded(data, 64, 8, /*big_endian=*/true);
  for (std::size_t offset = 0; offset < message.size(); offset += 64) {
    std::uint32_t w[64];
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_big<std::uint32_t>(&message[offset + 4 * t]);
    for (std::size_t t = 16; t < 64; ++t) {
      std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (std::size_t t = 0; t < 64; ++t) {
      std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  return hex_big(h, 8);
}

// FIPS 180-4, 6.4 (SHA-512) and 6.5 (SHA-384: other initial values, output truncated).
std::string sha512_family(std::string_view data, const std::array<std::uint64_t, 8>& initial,
                          std::size_t output_words) {
  static constexpr std::uint64_t k[80] = {
      0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
      0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
      0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
      0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
      0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
      0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
      0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
      0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
      0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
      0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
      0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
      0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
      0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
      0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
      0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
      0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
      0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
      0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
      0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
      0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
  std::array<std::uint64_t, 8> h = initial;
  auto message = padded(data, 128, 16, /*big_endian=*/true);
  for (std::size_t offset = 0; offset < message.size(); offset += 128) {
    std::uint64_t w[80];
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_big<std::uint64_t>(&message[offset + 8 * t]);
    for (std::size_t t = 16; t < 80; ++t) {
      std::uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
      std::uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (std::size_t t = 0; t < 80; ++t) {
      std::uint64_t t1 = hh + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
      std::uint64_t t2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  return hex_big(h, output_words);
}

}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  if (name == "MD5") return DigestAlgorithm::md5;
  if (name == "SHA-1") return DigestAlgorithm::sha1;
  if (name == "SHA-256") return DigestAlgorithm::sha256;
  if (name == "SHA-384") return DigestAlgorithm::sha384;
  if (name == "SHA-512") return DigestAlgorithm::sha512;
  return std::nullopt;
}

std::string hex_digest(DigestAlgorithm algorithm, std::string_view data) {
  switch (algorithm) {
    case DigestAlgorithm::md5: return md5(data);
    case DigestAlgorithm::sha1: return sha1(data);
    case DigestAlgorithm::sha256: return sha256(data);
    case DigestAlgorithm::sha384:
      return sha512_family(data, {0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17,
                                  0x152fecd8f70e5939, 0x67332667ffc00b31, 0x8eb44a8768581511,
                                  0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4},
                           6);
    case DigestAlgorithm::sha512:
      return sha512_family(data, {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                  0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                  0x1f83d9abfb41bd6b, 0x5be0cd19137e2179},
                           8);
  }
  return {};
}

namespace {

std::string raw_sha256(std::string_view data) {
  std::string hex = sha256(data);
  std::string raw(hex.size() / 2, '\0');
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i < raw.size(); ++i)
    raw[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return raw;
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
  constexpr std::size_t kBlock = 64;
  std::string block = key.size() > kBlock ? raw_sha256(key) : std::string(key);
  block.resize(kBlock, '\0');
  std::string inner(kBlock, '\0'), outer(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner[i] = static_cast<char>(block[i] ^ 0x36);
    outer[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  inner.append(message);
  outer.append(raw_sha256(inner));
  return raw_sha256(outer);
}

}  // namespace flowstate::data
