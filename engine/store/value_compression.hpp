// ValueCompression: how the store keeps the values of its "log" column family (history pages
// and task log lines, store.hpp) from format 3 on: compressed with Zstandard before they
// reach RocksDB, so the WAL, the memtable, flushes and compactions all handle a fraction of
// the bytes. A history page is ~27 KB of repetitive JSON (64 transitions) and shrinks ~20×;
// on the store loop, moving those bytes was most of the cost of a checkpointed transition
// (tools/bench/README.md, "Compressed history").
//
// Stored form: a value whose first byte is 0x00 is that byte followed by one Zstandard frame
// (with its content size); any other value is stored as it is. Values too small to gain are
// stored as they are, unless they start with 0x00 themselves (then they are compressed, so
// that reading them back is unambiguous). JSON text never starts with 0x00, so the plain
// values of format-1 and format-2 stores read unchanged.
#pragma once

#include <string>
#include <string_view>

namespace flowstate::store {

class ValueCompressor {
 public:
  ValueCompressor();
  ~ValueCompressor();
  ValueCompressor(const ValueCompressor&) = delete;
  ValueCompressor& operator=(const ValueCompressor&) = delete;

  /// The stored form of `value`: a view of `value` itself, or of this compressor's buffer,
  /// valid until the next call.
  std::string_view compress(std::string_view value);

 private:
  void* context_ = nullptr;  // ZSTD_CCtx, reused
  std::string buffer_;
};

/// Whether a stored value is in compressed form.
inline bool is_compressed_value(std::string_view stored) { return !stored.empty() && stored.front() == '\0'; }

/// The value a stored value holds: `stored` itself when plain, else decompressed into `buffer`.
/// Throws StoreError corrupted (naming `directory`) when a compressed value does not decode.
std::string_view decompress_value(std::string_view stored, std::string& buffer, std::string_view directory);

}  // namespace flowstate::store
