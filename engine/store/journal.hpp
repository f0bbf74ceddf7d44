// Journal: where a writer that has not opened RocksDB yet (StoreOptions::deferred) appends
// its batches, one file per writer process under STORE/journal/. The next process that
// opens RocksDB as the writer moves every journal into it (Store, "ingestion"), and readers
// see journals on top of RocksDB until then (PendingWrites).
//
// File format (version 1): the 8 bytes "FSJRNL1\n", then records, each a 4-byte big-endian
// length N, the 4-byte big-endian CRC-32 (zlib's) of the N bytes that follow, and those N
// bytes: one WriteBatch, encoded (write_batch.hpp). A record is committed once its last
// byte is written. An incomplete or damaged last record is a write the process did not
// finish (kill -9, a full disk) and is not part of the journal; damage before the last
// record is corruption.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowstate::store {

inline constexpr std::string_view kJournalFolder = "journal";

/// Appends records to a new journal file; throws StoreError (no_space, io).
class JournalWriter {
 public:
  /// Creates STORE/journal/<time>-<pid>.log (and the folder); the header is written with
  /// the first record. With `sync`, every append and the file's directory entry are fsynced.
  JournalWriter(const std::filesystem::path& store_directory, bool sync);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Appends one record; on failure the file is cut back to its last record.
  void append(std::string_view payload);
  /// Closes the file; it stays for the next writer to ingest.
  void close();

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }

 private:
  std::filesystem::path store_directory_;
  std::filesystem::path path_;
  int fd_ = -1;
  bool sync_ = false;
  std::uint64_t size_ = 0;
  std::string buffer_;
};

/// The committed records of one journal file, in order; std::nullopt if the file is gone
/// (ingested meanwhile). Throws StoreError corrupted for damage before the last record.
std::optional<std::vector<std::string>> read_journal(const std::filesystem::path& file);

/// The journal files of a store, oldest first.
std::vector<std::filesystem::path> list_journals(const std::filesystem::path& store_directory);

}  // namespace flowstate::store
