// Store: one RocksDB key-value database in a store directory (default .flowstate/), with a
// single writer process (StoreLock) and any number of readers. The schema (executions,
// events, checkpoints) is written on top of it; this layer only knows bytes.
//
// Store directory format (version 3):
//   RocksDB files (CURRENT, MANIFEST-*, *.log WAL, *.sst, OPTIONS-*) with two column
//   families: "log" holds the keys that start with "e/" or "l/" (kLogPrefixes: the history
//   events and task logs, written once and in increasing order), "default" everything else
//   (checkpoints, rewritten at every transition). Apart, compacting the checkpoints never
//   rewrites the history, and the history's new tables sort after its old ones (RocksDB
//   moves them down without rewriting). The log family's values are stored compressed when
//   that pays (value_compression.hpp: a first byte 0x00 marks a Zstandard frame; any other
//   value is plain), and RocksDB does not compress its tables again. Version 2 was the
//   same with plain values only, version 1 had everything in "default"; the first writer
//   that opens an older store moves it to version 3 (from version 1: the log keys move over,
//   compressed), in one synced batch with the new version; readers read all three;
//   flowstate.lock            the writer lock, see store_lock.hpp;
//   key "flowstate/format"    the format version as decimal text, "3"; written (synced) when
//                             the store is created. Keys starting with "flowstate/" are
//                             reserved for the store itself;
//   flowstate.format          a copy of that version ("3\n"), written when a writer has
//                             checked the key, so that a deferred writer need not open RocksDB;
//   flowstate.seal            RocksDB's files as the last writer closed them (store_seal.hpp):
//                             a deferred writer defers only while they match;
//   journal/*.log             deferred writers' batches not yet moved into RocksDB
//                             (journal.hpp); key "flowstate/journal/FILE" marks one that was
//                             moved (its value: when, in ms since the epoch), for readers that
//                             read the file just before; markers go after 10 minutes.
// Deferred writes (StoreOptions::deferred): opening RocksDB costs ~10 ms and RocksDB's own
// start-up ~4 ms (fsyncs of a new MANIFEST, CURRENT and OPTIONS file, WAL replay, its option
// tables), more than a short `flowstate run` takes. A deferred writer takes the lock and
// appends its batches to a journal instead, with the same durability (one write(2) per
// batch, fdatasync with Durability::sync); the next writer that opens RocksDB moves every
// journal into it first, and readers apply the journals on top of what RocksDB holds.
// There is no RocksDB info LOG file: RocksDB 7.8 aborts on a full disk when its LOG is on
// the store's filesystem, so Store gives RocksDB a logger that drops INFO and WARN and
// writes ERROR and FATAL lines to stderr ("flowstate: rocksdb: ...").
// The WAL is recovered with kTolerateCorruptedTailRecords: a torn last record (what kill -9
// leaves) is dropped, any damage before it is refused as StoreError corrupted, never a
// silent open with missing keys. Reads verify block checksums (paranoid checks).
// A store in memory (open_in_memory) has no directory and no RocksDB: its writes are kept
// as a reader keeps the journals it has not seen in RocksDB (PendingWrites), and read there.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/store/store_error.hpp"
#include "engine/store/store_lock.hpp"
#include "engine/store/write_batch.hpp"

namespace flowstate::store {

/// When a write is durable. wal: the write is in the WAL (OS page cache) before write()
/// returns, so it survives kill -9; sync: every write is fsynced, so it survives power loss.
enum class Durability { wal, sync };

/// write: the single writer (takes the lock, creates the store if missing). read: a RocksDB
/// secondary instance, which may be opened while another process writes and sees everything
/// the writer committed when opened and after each refresh().
enum class AccessMode { write, read };

inline constexpr std::string_view kFormatKey = "flowstate/format";
inline constexpr std::string_view kFormatFileName = "flowstate.format";
inline constexpr int kFormatVersion = 3;
/// Keys in the "log" column family (see the format above).
inline constexpr std::string_view kLogPrefixes[] = {"e/", "l/"};

struct StoreOptions {
  std::filesystem::path directory;
  AccessMode mode = AccessMode::write;
  Durability durability = Durability::wal;
  std::chrono::milliseconds lock_timeout{60'000};
  /// Write mode: open RocksDB only when needed — on the first read, or once this process has
  /// written 1 MiB — and append writes to a journal until then. RocksDB is opened at once
  /// anyway when the store is new, was last written by an older flowstate, or 32 journals
  /// are waiting.
  bool deferred = false;
  /// Recorded with the writer lock, e.g. "flowstate run pipeline.yaml".
  std::string holder_command;
  /// Called once if the lock is busy, e.g. "flowstate: waiting for the store lock on
  /// .flowstate held by pid 1234 (flowstate run a.yaml)".
  std::function<void(const std::string& message)> on_lock_wait;
};

class Store {
 public:
  /// Opens (write mode: creates) the store; throws StoreError.
  static std::unique_ptr<Store> open(const StoreOptions& options);
  /// A store of this process alone, kept in memory (`run --no-store`): the same keys and
  /// reads as a store on disk, nothing written to disk, no lock, gone when it is destroyed.
  static std::unique_ptr<Store> open_in_memory();
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Empty for a store in memory.
  const std::filesystem::path& directory() const;
  AccessMode mode() const;
  bool in_memory() const;

  /// Applies the batch atomically and clears it; throws StoreError (no_space, io,
  /// corrupted). After a no_space or io failure the store refuses further writes: open a
  /// new Store once the cause is fixed (nothing acknowledged before is lost).
  void write(WriteBatch& batch);

  /// A deferred writer that has not opened RocksDB yet: its next read will (~10 ms).
  bool deferred() const;

  /// Reads see every write: a deferred writer opens RocksDB first, a reader applies the
  /// journals not yet moved into RocksDB.
  std::optional<std::string> get(std::string_view key) const;

  /// Visits the keys starting with `prefix` in key order, from `from` (>= prefix) if given;
  /// `visit` returns false to stop. The views are valid only during the call.
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view key, std::string_view value)>& visit,
            std::string_view from = {}) const;

  /// The greatest key starting with `prefix`, and its value.
  std::optional<std::pair<std::string, std::string>> last_with_prefix(std::string_view prefix) const;

  /// Read mode: catches up with the writer; no-op in write mode.
  void refresh();

  /// The current writer's {pid, command}, if a process holds the lock (this one included).
  std::optional<LockHolder> lock_holder() const;

  /// Reads every table file and checks its checksums; throws StoreError corrupted.
  void verify() const;

  /// Write mode: writes the memtable to a table file (for backups and tests).
  void flush();

 private:
  class Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowstate::store
