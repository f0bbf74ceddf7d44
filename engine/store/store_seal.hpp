// StoreSeal: what RocksDB's files looked like when a writer last closed RocksDB cleanly, so
// that a deferred writer (store.hpp) can tell, without opening RocksDB, that nothing touched
// them since; a store whose files changed (damaged, restored, a writer killed) is opened.
//
// File format: STORE/flowstate.seal, one line per RocksDB file (CURRENT, IDENTITY,
// MANIFEST-*, OPTIONS-*, *.log, *.sst, *.blob), "NAME SIZE MTIME_NS", in name order. It is
// written (temporary file, then rename) after DB::Close succeeded, and removed before a
// writer opens RocksDB; a missing, unreadable or different seal means "open RocksDB".
#pragma once

#include <filesystem>
#include <string_view>

namespace flowstate::store {

inline constexpr std::string_view kSealFileName = "flowstate.seal";

/// Records RocksDB's files in `directory` as they are now (best effort: a seal that cannot
/// be written only costs the next writer a RocksDB open).
void write_seal(const std::filesystem::path& directory);

/// Whether RocksDB's files in `directory` are exactly those the seal records.
bool seal_matches(const std::filesystem::path& directory);

void remove_seal(const std::filesystem::path& directory);

}  // namespace flowstate::store
