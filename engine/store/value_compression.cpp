#include "engine/store/value_compression.hpp"

#include <memory>
#include <new>

#include <fmt/format.h>
#include <zstd.h>

#include "engine/store/store_error.hpp"

namespace flowstate::store {

namespace {

// Zstandard's fastest level above LZ4's ratio: a history page of 64 loop transitions
// (26.7 KB) → 1.1 KB at ~1.8 GB/s here (level 1: 0.9 KB at 1.2 GB/s; LZ4: 4.0 KB at 2.7 GB/s).
constexpr int kLevel = -1;
// Below this, a value is kept as it is (a task's log line, a short page).
constexpr std::size_t kMinCompressed = 128;
// Larger than any value the store writes (RocksDB keeps value lengths in 32 bits).
constexpr unsigned long long kMaxValueBytes = 1ULL << 32;

ZSTD_CCtx* context_of(void* context) { return static_cast<ZSTD_CCtx*>(context); }

struct FreeDecompression {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

}  // namespace

ValueCompressor::ValueCompressor() = default;

ValueCompressor::~ValueCompressor() { ZSTD_freeCCtx(context_of(context_)); }

std::string_view ValueCompressor::compress(std::string_view value) {
  if (value.size() < kMinCompressed && !is_compressed_value(value)) return value;
  if (!context_) {
    context_ = ZSTD_createCCtx();
    if (!context_) throw std::bad_alloc();
  }
  std::size_t bound = ZSTD_compressBound(value.size());
  if (buffer_.size() < 1 + bound) buffer_.resize(1 + bound);
  buffer_[0] = '\0';
  std::size_t size = ZSTD_compressCCtx(context_of(context_), buffer_.data() + 1, bound, value.data(),
                                       value.size(), kLevel);
  // Compression into a buffer of ZSTD_compressBound cannot fail but for lack of memory.
  if (ZSTD_isError(size)) throw std::bad_alloc();
  // Kept plain when that is no larger (and unambiguous).
  if (1 + size >= value.size() && !is_compressed_value(value)) return value;
  return std::string_view(buffer_.data(), 1 + size);
}

std::string_view decompress_value(std::string_view stored, std::string& buffer, std::string_view directory) {
  if (!is_compressed_value(stored)) return stored;
  auto corrupted = [&](std::string_view what) {
    return StoreError(StoreError::Kind::corrupted,
                      fmt::format("store {} is corrupted: a compressed value {}; restore it from a backup "
                                  "or move it aside",
                                  directory, what));
  };
  const char* frame = stored.data() + 1;
  std::size_t frame_size = stored.size() - 1;
  unsigned long long size = ZSTD_getFrameContentSize(frame, frame_size);
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    throw corrupted("has no valid Zstandard frame header");
  // Repetitive data compresses by far more than 1000× (a log line of one repeated character),
  // so only a size no value of the store reaches tells damage apart.
  if (size > kMaxValueBytes) throw corrupted("claims an impossible size");
  // One decompression context per thread, kept: ZSTD_decompress would allocate ~100 KB per value.
  static thread_local std::unique_ptr<ZSTD_DCtx, FreeDecompression> context(ZSTD_createDCtx());
  if (!context) throw std::bad_alloc();
  buffer.resize(size);
  std::size_t decoded = ZSTD_decompressDCtx(context.get(), buffer.data(), buffer.size(), frame, frame_size);
  if (ZSTD_isError(decoded) || decoded != size)
    throw corrupted(fmt::format("does not decode ({})", ZSTD_isError(decoded) ? ZSTD_getErrorName(decoded)
                                                                              : "short"));
  return buffer;
}

}  // namespace flowstate::store
