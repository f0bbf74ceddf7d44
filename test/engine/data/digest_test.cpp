#include "engine/data/digest.hpp"

#include <string>

#include <catch2/catch.hpp>

using flowstate::data::DigestAlgorithm;
using flowstate::data::hex_digest;
using flowstate::data::parse_digest_algorithm;

namespace {

struct Vector {
  std::string algorithm;
  std::string data;
  std::string digest;
};

}  // namespace

// Test vectors from RFC 1321 (MD5) and the NIST FIPS 180 examples ("abc", the empty
// message, and the two-block 448-bit and 896-bit messages).
TEST_CASE("hex_digest: matches the published test vectors", "[data][digest]") {
  auto v = GENERATE(values<Vector>({
      {"MD5", "", "d41d8cd98f00b204e9800998ecf8427e"},
      {"MD5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"MD5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"MD5", "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
      {"SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {"SHA-1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"SHA-1", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
      {"SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"SHA-256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"SHA-256", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"SHA-384", "abc",
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
       "34c825a7"},
      {"SHA-512", "abc",
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c2"
       "3a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
      {"SHA-512",
       "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
       "lmnopqrsmnopqrstnopqrstu",
       "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99d"
       "ec4b5433ac7d329eeb6dd26545e96e55b874be909"},
  }));
  CAPTURE(v.algorithm, v.data);
  auto algorithm = parse_digest_algorithm(v.algorithm);
  REQUIRE(algorithm);
  CHECK(hex_digest(*algorithm, v.data) == v.digest);
}

TEST_CASE("hex_digest: messages around the padding boundaries hash like their neighbours",
          "[data][digest]") {
  // 55, 56 and 64 bytes straddle the one-block/two-block boundary of SHA-256 and MD5; the
  // digests must all differ and be 64 / 32 hex characters.
  for (std::size_t n : {55, 56, 63, 64, 111, 112, 127, 128}) {
    std::string data(n, 'a');
    CHECK(hex_digest(DigestAlgorithm::sha256, data).size() == 64);
    CHECK(hex_digest(DigestAlgorithm::md5, data).size() == 32);
    CHECK(hex_digest(DigestAlgorithm::sha512, data).size() == 128);
  }
  CHECK(hex_digest(DigestAlgorithm::sha256, std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(hex_digest(DigestAlgorithm::md5, std::string(64, 'a')) ==
        "014842d480b571495a4a0363793f7367");
}

TEST_CASE("parse_digest_algorithm: names are case-sensitive, as AWS lists them", "[data][digest]") {
  CHECK(parse_digest_algorithm("SHA-256") == DigestAlgorithm::sha256);
  CHECK_FALSE(parse_digest_algorithm("sha-256"));
  CHECK_FALSE(parse_digest_algorithm("SHA256"));
}

TEST_CASE("hmac_sha256: RFC 4231's test vectors", "[data][digest]") {
  auto hex = [](const std::string& raw) {
    std::string out;
    for (unsigned char c : raw) out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
    return out;
  };
  using flowstate::data::hmac_sha256;
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first (test case 6).
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
