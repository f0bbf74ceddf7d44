// Message digests for States.Hash (MD5, SHA-1, SHA-256, SHA-384, SHA-512), written from
// RFC 1321 and FIPS 180-4 so that flowstate needs no crypto library: loading libcrypto cost
// more start-up time (~3 ms) than everything else flowstate does to run a small machine.
// Not for security: States.Hash is a checksum.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flowstate::data {

enum class DigestAlgorithm { md5, sha1, sha256, sha384, sha512 };

/// "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512" (case-sensitive, as AWS names them).
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);

/// The digest of `data` in lowercase hexadecimal.
std::string hex_digest(DigestAlgorithm algorithm, std::string_view data);

/// HMAC-SHA256 (RFC 2104) of `message` under `key`, as the 32 raw bytes (AWS Signature
/// Version 4 chains them as keys).
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace flowstate::data
