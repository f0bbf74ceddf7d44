#include "engine/store/store.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/convenience.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "engine/store/journal.hpp"
#include "engine/store/key_encoding.hpp"
#include "engine/store/pending_writes.hpp"
#include "engine/store/rocksdb_initialization.hpp"
#include "engine/store/store_seal.hpp"
#include "engine/store/value_compression.hpp"

namespace flowstate::store {

namespace {

namespace fs = std::filesystem;

rocksdb::Slice slice(std::string_view text) { return {text.data(), text.size()}; }
std::string_view view(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

// RocksDB's logger: no LOG file in the store (a full disk would abort RocksDB 7.8 while
// logging); INFO, WARN and the options header are dropped, ERROR and FATAL go to stderr.
class StoreLogger final : public rocksdb::Logger {
 public:
  StoreLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::ERROR_LEVEL) {}
  void LogHeader(const char*, va_list) override {}
  void Logv(const char*, va_list) override {}  // level-less lines are the startup dump
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    std::fprintf(stderr, "flowstate: rocksdb: %s\n", line);
  }
};

[[noreturn]] void throw_status(const fs::path& directory, const rocksdb::Status& status) {
  std::string message = status.ToString();
  if (status.IsNoSpace() || message.find("No space left on device") != std::string::npos)
    throw StoreError::no_space(directory);
  if (status.IsCorruption())
    throw StoreError(StoreError::Kind::corrupted,
                     fmt::format("store {} is corrupted: {}; restore it from a backup or move it aside",
                                 directory.string(), message));
  throw StoreError(StoreError::Kind::io, fmt::format("store {}: {}", directory.string(), message));
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// What RocksDB writes while it creates a database, before CURRENT (the last file it
// writes): IDENTITY, LOCK, MANIFEST-N, OPTIONS-N, N.log, N.dbtmp.
bool rocksdb_creation_file(std::string_view name) {
  if (name == "IDENTITY" || name == "LOCK") return true;
  for (std::string_view prefix : {"MANIFEST-", "OPTIONS-"})
    if (name.starts_with(prefix)) return all_digits(name.substr(prefix.size()));
  for (std::string_view suffix : {".log", ".dbtmp"})
    if (name.ends_with(suffix)) return all_digits(name.substr(0, name.size() - suffix.size()));
  return false;
}

// Whether a directory without CURRENT holds anything but our lock file and what a creation
// killed before CURRENT leaves behind (no data: nothing is written before CURRENT exists).
bool has_foreign_files(const fs::path& directory) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (name != kLockFileName && !(entry.is_regular_file() && rocksdb_creation_file(name))) return true;
  }
  return false;
}

// Removes what an interrupted creation left (see has_foreign_files), under the writer lock.
void remove_creation_leftovers(const fs::path& directory) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (name == kLockFileName) continue;
    std::error_code removed;
    if (!fs::remove(entry.path(), removed) && removed)
      throw StoreError(StoreError::Kind::io,
                       fmt::format("cannot create store {}: cannot remove {} left by a creation that "
                                   "was interrupted: {}",
                                   directory.string(), entry.path().string(), removed.message()));
  }
}

[[noreturn]] void throw_not_a_store(const fs::path& directory) {
  throw StoreError(StoreError::Kind::not_a_store,
                   fmt::format("{} is not a flowstate store: it is not empty and has no RocksDB CURRENT "
                               "file; choose an empty or new directory for the store",
                               directory.string()));
}

[[noreturn]] void throw_missing(const fs::path& directory) {
  throw StoreError(StoreError::Kind::missing, fmt::format("no flowstate store at {}", directory.string()));
}

// The options of every open; `logger` (the store's StoreLogger) is made on the first.
rocksdb::Options base_options(std::shared_ptr<rocksdb::Logger>& logger) {
  if (!logger) logger = std::make_shared<StoreLogger>();
  rocksdb::Options options;
  options.info_log = logger;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  options.paranoid_checks = true;
  options.max_open_files = -1;  // required by secondary instances; the store is small
  // Start-up: open the table files on this thread (the default starts 16 threads to open
  // them, ~10 ms of thread creation and joining per `flowstate run` here), and no periodic
  // statistics (their timer thread).
  options.max_file_opening_threads = 1;
  options.stats_dump_period_sec = 0;
  options.stats_persist_period_sec = 0;
  // Write path (tools/bench/store_write_bench --variants): each wal-mode write is one
  // write(2) of a WAL record, and no option changed that measurably on Debian 12 (all within
  // the machine's noise). Flushes write L0 tables uncompressed, so a flush competes less with
  // the writer for CPU; the bottom level, where compaction moves most data, is compressed
  // when this RocksDB build has LZ4. Several memtables let the writer continue while a slow
  // flush catches up. There is one writer thread, so memtable inserts need not be
  // concurrent.
  // Memtables of 4 MB: what a reopened store replays from its WAL is at most that much
  // (resume after kill -9 starts running again quickly: tools/bench, "resume"); the flushes
  // run on RocksDB's background thread. Opening neither flushes the replayed WAL nor does
  // closing flush the memtable: both would put a table-file write on `flowstate run`'s path.
  options.write_buffer_size = 4 << 20;
  options.max_write_buffer_number = 4;
  options.allow_concurrent_memtable_write = false;
  options.avoid_flush_during_recovery = true;
  options.avoid_flush_during_shutdown = true;
  options.compression = rocksdb::kNoCompression;
  for (auto type : rocksdb::GetSupportedCompressions())
    if (type == rocksdb::kLZ4Compression) options.bottommost_compression = type;
  // Two column families share the WAL: a WAL file goes only once both have flushed what it
  // holds. Past 16 MB of WAL the family holding it back is flushed, so a reopened store
  // replays little (the checkpoints' family fills its memtable slowly).
  options.max_total_wal_size = 16 << 20;
  // Small table files: a new execution's events sort between older executions' (ids are
  // random), so compacting them into level 1 rewrites the level-1 file they fall into; with
  // RocksDB's 64 MB default that file held every older execution's history, and each
  // compaction rewrote it (the cost of a transition grew with the store).
  options.target_file_size_base = 4 << 20;
  return options;
}

constexpr std::string_view kLogFamily = "log";

// Which families the keys under `prefix` may be in.
enum class Families { main, log, both };

Families families_of(std::string_view prefix) {
  for (std::string_view log : kLogPrefixes) {
    if (prefix.starts_with(log)) return Families::log;
    if (log.starts_with(prefix)) return Families::both;  // "", "e", "l"
  }
  return Families::main;
}

bool in_log_family(std::string_view key) {
  for (std::string_view log : kLogPrefixes)
    if (key.starts_with(log)) return true;
  return false;
}

// A deferred writer opens RocksDB instead of starting a journal once this many journals wait
// to be ingested (readers read them all), and moves its own journal into RocksDB once it
// has grown past kJournalLimit (so that no later open ingests much).
constexpr std::size_t kMaxPendingJournals = 32;
constexpr std::uint64_t kJournalLimit = 1 << 20;
// More WAL files than this at open (each open starts one, and nothing is flushed while the
// memtable is small): the memtable is flushed, so opens do not replay ever more files.
constexpr std::size_t kMaxWalFiles = 16;
// How long an ingested journal's marker stays: a reader that read the journal just before
// its ingestion drops it when it sees the marker (open_reader, refresh).
constexpr std::chrono::minutes kMarkerLifetime{10};

constexpr std::string_view kMarkerPrefix = "flowstate/journal/";

bool format_file_current(const fs::path& directory) {
  std::ifstream in(directory / kFormatFileName);
  std::string version;
  return static_cast<bool>(in >> version) && version == std::to_string(kFormatVersion);
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// RocksDB objects are made only after initialize_rocksdb(), when RocksDB is opened; a deferred
// writer never makes one (the WriteOptions and the empty WriteBatch below hold no RocksDB
// state).
class Store::Impl {
 public:
  fs::path directory;
  AccessMode mode = AccessMode::write;
  std::optional<StoreLock> lock;  // destroyed last: released after the database is closed
  std::shared_ptr<rocksdb::Logger> logger;
  fs::path secondary_directory;  // read mode: the secondary instance's private directory
  std::unique_ptr<rocksdb::DB> db;
  // The column families; `log` is `main` in a version-1 store (one family).
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* main = nullptr;
  rocksdb::ColumnFamilyHandle* log = nullptr;
  rocksdb::WriteOptions write_options;
  rocksdb::WriteBatch rocks_batch;  // Store::write's, reused
  // The store's format version once checked; from 3 on, log-family values may be compressed
  // (value_compression.hpp).
  int format = kFormatVersion;
  ValueCompressor compressor;
  Durability durability = Durability::wal;
  // Write mode, StoreOptions::deferred: RocksDB is not open yet and writes go to `journal`.
  bool deferred = false;
  std::optional<JournalWriter> journal;
  bool failed = false;  // a journal write failed: the store refuses further writes
  // Read mode: the journals not yet in RocksDB. In memory: everything written.
  PendingWrites pending;
  bool in_memory = false;

  ~Impl() {
    if (db) {
      for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
      bool closed = db->Close().ok();
      db.reset();
      // Still holding the lock: the next deferred writer checks the files against this.
      if (closed && mode == AccessMode::write) write_seal(directory);
    }
    if (!secondary_directory.empty()) {
      std::error_code ignored;
      fs::remove_all(secondary_directory, ignored);
    }
  }

  [[noreturn]] void fail(const rocksdb::Status& status) const { throw_status(directory, status); }

  void check(const rocksdb::Status& status) const {
    if (!status.ok()) fail(status);
  }

  rocksdb::ColumnFamilyHandle* family_of(std::string_view key) const {
    return in_log_family(key) ? log : main;
  }

  // Whether `family`'s values may be stored compressed (value_compression.hpp).
  bool may_compress(rocksdb::ColumnFamilyHandle* family) const {
    return format >= 3 && family == log && log != main;
  }

  // A value as RocksDB holds it in `family` → the value written; `buffer` holds it if it
  // had to be decompressed.
  std::string_view stored_value(rocksdb::ColumnFamilyHandle* family, std::string_view stored,
                                std::string& buffer) const {
    return may_compress(family) ? decompress_value(stored, buffer, directory.string()) : stored;
  }

  // The families to read or erase for keys under `prefix` (one when the store has one).
  std::vector<rocksdb::ColumnFamilyHandle*> families_for(std::string_view prefix) const {
    switch (log == main ? Families::main : families_of(prefix)) {
      case Families::main: return {main};
      case Families::log: return {log};
      case Families::both: break;
    }
    return {main, log};
  }

  bool empty() const {
    for (auto* family : handles) {
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
      it->SeekToFirst();
      check(it->status());
      if (it->Valid()) return false;
    }
    return true;
  }

  // Checks the format key; a write-mode store without one and without data is finished
  // (a creation interrupted before its first write). A writer moves a version-1 or -2 store
  // to version 3; a reader reads a version-1 store from its one family, and plain values
  // only from a version-2 one.
  void check_format() {
    std::string version;
    rocksdb::Status status = db->Get(rocksdb::ReadOptions(), main, slice(kFormatKey), &version);
    if (status.IsNotFound()) {
      if (!empty())
        throw StoreError(StoreError::Kind::version,
                         fmt::format("store {} has no format version; this flowstate reads version {}",
                                     directory.string(), kFormatVersion));
      if (mode == AccessMode::read) throw_missing(directory);
      rocksdb::WriteOptions synced;
      synced.sync = true;
      check(db->Put(synced, main, slice(kFormatKey), std::to_string(kFormatVersion)));
      return;
    }
    check(status);
    if (version == "1") {
      if (mode == AccessMode::write) {
        move_to_current_version(1);
      } else {
        log = main;
        format = 1;
      }
      return;
    }
    if (version == "2") {
      // Version 2 → 3 adds only compressed values: nothing stored changes.
      if (mode == AccessMode::write) move_to_current_version(2);
      else format = 2;
      return;
    }
    if (version != std::to_string(kFormatVersion))
      throw StoreError(StoreError::Kind::version,
                       fmt::format("store {} has format version {}; this flowstate reads versions 1 "
                                   "to {}",
                                   directory.string(), version, kFormatVersion));
  }

  // From version `from` to 3, in one synced batch with the new version (a crash leaves the
  // old version whole). From version 1, the log keys move from "default" to "log".
  void move_to_current_version(int from) {
    rocksdb::WriteBatch batch;
    for (std::string_view prefix : kLogPrefixes) {
      if (from != 1) break;
      std::string end = prefix_successor(prefix);
      rocksdb::Slice upper = slice(end);
      rocksdb::ReadOptions read;
      read.iterate_upper_bound = &upper;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, main));
      for (it->Seek(slice(prefix)); it->Valid(); it->Next())
        check(batch.Put(log, it->key(), slice(compressor.compress(view(it->value())))));
      check(it->status());
      check(batch.DeleteRange(main, slice(prefix), slice(end)));
    }
    check(batch.Put(main, slice(kFormatKey), std::to_string(kFormatVersion)));
    rocksdb::WriteOptions synced;
    synced.sync = true;
    check(db->Write(synced, &batch));
  }

  // Opens RocksDB's families: `log` when the store has it (or, creating, will have it).
  void adopt_families(std::vector<rocksdb::ColumnFamilyHandle*> opened) {
    handles = std::move(opened);
    main = handles.front();
    log = handles.size() > 1 ? handles[1] : handles.front();
  }

  static std::vector<rocksdb::ColumnFamilyDescriptor> descriptors(const rocksdb::Options& options,
                                                                  bool with_log) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families{
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options)}};
    if (with_log) {
      // Its values come compressed (value_compression.hpp): RocksDB compressing them again
      // would cost a compaction's CPU for nothing. Tables written before keep their own.
      rocksdb::ColumnFamilyOptions log_options(options);
      log_options.compression = rocksdb::kNoCompression;
      log_options.bottommost_compression = rocksdb::kDisableCompressionOption;
      families.emplace_back(std::string(kLogFamily), log_options);
    }
    return families;
  }

  void open_writer(const StoreOptions& options) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error)
      throw StoreError(StoreError::Kind::io, fmt::format("cannot create store directory {}: {}",
                                                         directory.string(), error.message()));
    // Checked before taking the lock too, so a foreign directory does not get a lock file.
    if (!fs::exists(directory / "CURRENT") && has_foreign_files(directory)) throw_not_a_store(directory);
    lock = StoreLock::acquire({directory, options.holder_command, options.lock_timeout, options.on_lock_wait});
    bool exists = fs::exists(directory / "CURRENT");
    if (!exists && has_foreign_files(directory)) throw_not_a_store(directory);
    if (!exists) remove_creation_leftovers(directory);
    durability = options.durability;
    // Deferred only while RocksDB's files are as its last writer closed them: damage (or a
    // writer killed mid-session) then surfaces when RocksDB opens here, instead of a run
    // whose journal no later command can move in.
    if (options.deferred && exists && format_file_current(directory) && seal_matches(directory) &&
        list_journals(directory).size() < kMaxPendingJournals) {
      deferred = true;
      return;
    }
    open_rocksdb_writer(!exists);
  }

  void open_rocksdb_writer(bool create) {
    remove_seal(directory);  // RocksDB changes its files from the moment it opens
    initialize_rocksdb();
    rocksdb::Options db_options = base_options(logger);
    db_options.create_if_missing = create;
    db_options.create_missing_column_families = true;
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> opened;
    check(rocksdb::DB::Open(rocksdb::DBOptions(db_options), directory.string(),
                            descriptors(db_options, /*with_log=*/true), &opened, &raw));
    db.reset(raw);
    adopt_families(std::move(opened));
    write_options.sync = durability == Durability::sync;
    write_options.disableWAL = false;
    check_format();
    if (!format_file_current(directory)) write_format_file();
    ingest_journals();
    flush_if_many_wal_files();
  }

  // Opens RocksDB for a deferred writer (its first read, or its journal is large): its own
  // journal is ingested with the others, and later writes go to RocksDB.
  void open_deferred() {
    if (!deferred) return;
    if (journal) journal->close();
    journal.reset();
    deferred = false;
    open_rocksdb_writer(false);
  }

  void write_format_file() {
    fs::path temporary = directory / (std::string(kFormatFileName) + ".tmp");
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << kFormatVersion << '\n';
      if (!out.flush()) return;  // only an optimisation: deferred opens wait for it
    }
    std::error_code ignored;
    fs::rename(temporary, directory / kFormatFileName, ignored);
  }

  // Moves every journal into RocksDB, each in one synced batch with its marker, then
  // deletes it; a journal whose marker is already there was ingested by a process that
  // died before deleting it.
  void ingest_journals() {
    std::int64_t now = now_ms();
    bool ingested = false;
    for (const fs::path& file : list_journals(directory)) {
      if (!moved_in(file)) {
        auto records = read_journal(file);
        if (!records) continue;
        rocksdb::WriteBatch batch;
        for_each_operation(file, *records, [&](const WriteBatch::Operation& operation) { add(batch, operation); });
        check(batch.Put(main, slice(marker_of(file)), std::to_string(now)));
        rocksdb::WriteOptions synced;
        synced.sync = true;
        check(db->Write(synced, &batch));
        ingested = true;
      }
      // A journal left behind after its marker is forgotten would be moved in again, over
      // what was written since: failing to delete one stops here.
      std::error_code error;
      if (!fs::remove(file, error) && error)
        throw StoreError(StoreError::Kind::io, fmt::format("store {}: cannot delete the journal {} it has moved "
                                                           "into RocksDB: {}",
                                                           directory.string(), file.string(), error.message()));
    }
    if (ingested) forget_old_markers(now);
  }

  void forget_old_markers(std::int64_t now) {
    rocksdb::WriteBatch batch;
    std::string end = prefix_successor(kMarkerPrefix);
    rocksdb::Slice upper = slice(end);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, main));
    const auto lifetime = std::chrono::milliseconds(kMarkerLifetime).count();
    for (it->Seek(slice(kMarkerPrefix)); it->Valid(); it->Next())
      if (now - std::atoll(it->value().ToString().c_str()) > lifetime) check(batch.Delete(main, it->key()));
    check(it->status());
    if (batch.Count() > 0) check(db->Write(write_options, &batch));
  }

  void flush_if_many_wal_files() {
    std::size_t wal_files = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error))
      if (entry.path().extension() == ".log") ++wal_files;
    if (wal_files <= kMaxWalFiles) return;
    flush_all();
  }

  void flush_all() {
    rocksdb::FlushOptions options;
    options.wait = true;
    check(db->Flush(options, handles));
  }

  void add(rocksdb::WriteBatch& batch, const WriteBatch::Operation& operation) {
    rocksdb::Status status;
    switch (operation.op) {
      case WriteBatch::Op::put: {
        rocksdb::ColumnFamilyHandle* family = family_of(operation.key);
        std::string_view value = operation.value;
        if (may_compress(family)) value = compressor.compress(value);
        status = batch.Put(family, slice(operation.key), slice(value));
        break;
      }
      case WriteBatch::Op::erase: status = batch.Delete(family_of(operation.key), slice(operation.key)); break;
      case WriteBatch::Op::erase_prefix: {
        std::string end = prefix_successor(operation.key);
        for (auto* family : families_for(operation.key)) {
          status = batch.DeleteRange(family, slice(operation.key), slice(end));
          if (!status.ok()) break;
        }
        break;
      }
    }
    status.PermitUncheckedError();
  }

  static std::string marker_of(const fs::path& journal) {
    return std::string(kMarkerPrefix) + journal.filename().string();
  }

  // Whether RocksDB holds the journal's marker: its writes were moved in.
  bool moved_in(const fs::path& journal) const {
    std::string ignored;
    rocksdb::Status seen = db->Get(rocksdb::ReadOptions(), main, slice(marker_of(journal)), &ignored);
    if (!seen.ok() && !seen.IsNotFound()) fail(seen);
    return seen.ok();
  }

  // Calls visit(operation) for every operation of a journal's records, in order; a record
  // that passed its checksum but does not decode is damage too.
  template <class Visit>
  static void for_each_operation(const fs::path& journal, const std::vector<std::string>& records, Visit&& visit) {
    for (const std::string& record : records)
      if (!WriteBatch::decode(record, visit)) throw StoreError::journal_corrupted(journal, "a record does not decode");
  }

  // Read mode: the journals not yet in RocksDB, read before RocksDB is caught up, minus
  // those RocksDB then has the marker of.
  using JournalRecords = std::vector<std::pair<fs::path, std::vector<std::string>>>;
  JournalRecords read_journals() const {
    JournalRecords journals;
    for (const fs::path& file : list_journals(directory))
      if (auto records = read_journal(file)) journals.emplace_back(file, std::move(*records));
    return journals;
  }

  void load_pending(const JournalRecords& journals) {
    pending = PendingWrites();
    for (const auto& [file, records] : journals)
      if (!moved_in(file))
        for_each_operation(file, records, [this](const WriteBatch::Operation& operation) { pending.apply(operation); });
  }

  void open_reader() {
    if (!fs::is_directory(directory)) throw_missing(directory);
    if (!fs::exists(directory / "CURRENT")) {
      if (has_foreign_files(directory)) throw_not_a_store(directory);
      throw_missing(directory);
    }
    std::string pattern = (fs::temp_directory_path() / "flowstate-reader-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw StoreError(StoreError::Kind::io,
                       fmt::format("cannot open store {} for reading: cannot create {}: {}", directory.string(),
                                   pattern, std::generic_category().message(errno)));
    secondary_directory = pattern;
    JournalRecords journals = read_journals();
    initialize_rocksdb();
    rocksdb::Options options = base_options(logger);
    std::vector<std::string> names;
    check(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(options), directory.string(), &names));
    bool with_log = std::find(names.begin(), names.end(), kLogFamily) != names.end();
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> opened;
    check(rocksdb::DB::OpenAsSecondary(rocksdb::DBOptions(options), directory.string(),
                                       secondary_directory.string(), descriptors(options, with_log),
                                       &opened, &raw));
    db.reset(raw);
    adopt_families(std::move(opened));
    check_format();
    load_pending(journals);
  }
};

std::unique_ptr<Store> Store::open(const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->directory = options.directory;
  impl->mode = options.mode;
  if (options.mode == AccessMode::write)
    impl->open_writer(options);
  else
    impl->open_reader();
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::unique_ptr<Store> Store::open_in_memory() {
  auto impl = std::make_unique<Impl>();
  impl->in_memory = true;
  impl->pending = PendingWrites(PendingWrites::Below::nothing);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const fs::path& Store::directory() const { return impl_->directory; }
AccessMode Store::mode() const { return impl_->mode; }
bool Store::in_memory() const { return impl_->in_memory; }

bool Store::deferred() const { return impl_->deferred; }

void Store::write(WriteBatch& batch) {
  Impl& impl = *impl_;
  if (impl.failed)
    throw StoreError(StoreError::Kind::io, fmt::format("store {} refuses writes after a failed write; "
                                                       "open it again once the cause is fixed",
                                                       impl.directory.string()));
  if (impl.in_memory) {
    WriteBatch::decode(batch.encoded(), [&impl](const WriteBatch::Operation& operation) {
      impl.pending.apply(operation);
    });
    batch.clear();
    return;
  }
  if (impl.deferred) {
    try {
      if (!impl.journal) impl.journal.emplace(impl.directory, impl.durability == Durability::sync);
      impl.journal->append(batch.encoded());
    } catch (const StoreError&) {
      impl.failed = true;
      throw;
    }
    batch.clear();
    if (impl.journal->size() > kJournalLimit) impl.open_deferred();
    return;
  }
  impl.rocks_batch.Clear();
  WriteBatch::decode(batch.encoded(), [&impl](const WriteBatch::Operation& operation) {
    impl.add(impl.rocks_batch, operation);
  });
  rocksdb::Status status = impl.db->Write(impl.write_options, &impl.rocks_batch);
  if (!status.ok()) [[unlikely]]
    impl.fail(status);
  batch.clear();
}

std::optional<std::string> Store::get(std::string_view key) const {
  impl_->open_deferred();
  if (!impl_->pending.empty()) {
    std::string_view pending;
    switch (impl_->pending.lookup(key, &pending)) {
      case PendingWrites::Answer::value: return std::string(pending);
      case PendingWrites::Answer::erased: return std::nullopt;
      case PendingWrites::Answer::unknown: break;
    }
  }
  if (impl_->in_memory) return std::nullopt;
  std::string value;
  rocksdb::ColumnFamilyHandle* family = impl_->family_of(key);
  rocksdb::Status status = impl_->db->Get(rocksdb::ReadOptions(), family, slice(key), &value);
  if (status.IsNotFound()) return std::nullopt;
  impl_->check(status);
  if (impl_->may_compress(family) && is_compressed_value(value)) {
    std::string decoded;
    decompress_value(value, decoded, impl_->directory.string());
    return decoded;
  }
  return value;
}

void Store::scan(std::string_view prefix,
                 const std::function<bool(std::string_view key, std::string_view value)>& visit,
                 std::string_view from) const {
  impl_->open_deferred();
  const PendingWrites& pending = impl_->pending;
  std::string end = prefix_successor(prefix);
  std::string_view start = from > prefix ? from : prefix;
  rocksdb::Slice upper = slice(end);
  rocksdb::ReadOptions read;
  if (!end.empty()) read.iterate_upper_bound = &upper;
  // One iterator per column family the prefix spans (almost always one).
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  if (!impl_->in_memory) handles = impl_->families_for(prefix);
  std::vector<std::unique_ptr<rocksdb::Iterator>> families;
  for (auto* family : handles) {
    families.emplace_back(impl_->db->NewIterator(read, family));
    families.back()->Seek(slice(start));
  }
  std::string buffer;  // a decompressed value
  // RocksDB's keys not hidden by pending writes, merged in key order with the pending puts.
  auto in_prefix = [&](std::string_view key) { return key.substr(0, prefix.size()) == prefix; };
  auto stored = [&](rocksdb::Iterator& it) {
    for (; it.Valid(); it.Next()) {
      std::string_view key = view(it.key());
      if (!in_prefix(key)) return false;  // only when there is no upper bound
      if (pending.empty() || !pending.hides(key)) return true;
    }
    return false;
  };
  auto put = pending.entries().lower_bound(start);
  auto pending_put = [&]() {
    for (; put != pending.entries().end() && in_prefix(put->first); ++put)
      if (put->second) return true;
    return false;
  };
  for (;;) {
    rocksdb::Iterator* next = nullptr;
    rocksdb::ColumnFamilyHandle* next_family = nullptr;
    for (std::size_t i = 0; i < families.size(); ++i) {
      rocksdb::Iterator& it = *families[i];
      if (stored(it) && (!next || view(it.key()) < view(next->key()))) {
        next = &it;
        next_family = handles[i];
      }
    }
    bool has_put = pending_put();
    if (!next && !has_put) break;
    if (has_put && (!next || std::string_view(put->first) < view(next->key()))) {
      if (!visit(put->first, *put->second)) return;
      ++put;
    } else {
      if (!visit(view(next->key()), impl_->stored_value(next_family, view(next->value()), buffer))) return;
      next->Next();
    }
  }
  for (auto& it : families) impl_->check(it->status());
}

std::optional<std::pair<std::string, std::string>> Store::last_with_prefix(std::string_view prefix) const {
  impl_->open_deferred();
  if (!impl_->pending.empty() || impl_->in_memory) {
    std::optional<std::pair<std::string, std::string>> last;
    scan(prefix, [&](std::string_view key, std::string_view value) {
      last = std::pair{std::string(key), std::string(value)};
      return true;
    });
    return last;
  }
  std::string end = prefix_successor(prefix);
  rocksdb::Slice upper = slice(end);
  rocksdb::Slice lower = slice(prefix);
  rocksdb::ReadOptions read;
  if (!end.empty()) read.iterate_upper_bound = &upper;
  read.iterate_lower_bound = &lower;
  std::optional<std::pair<std::string, std::string>> last;
  for (auto* family : impl_->families_for(prefix)) {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read, family));
    it->SeekToLast();
    impl_->check(it->status());
    if (it->Valid() && (!last || view(it->key()) > std::string_view(last->first))) {
      std::string buffer;
      last = std::pair{it->key().ToString(), std::string(impl_->stored_value(family, view(it->value()), buffer))};
    }
  }
  return last;
}

void Store::refresh() {
  if (impl_->mode != AccessMode::read) return;
  Impl::JournalRecords journals = impl_->read_journals();
  impl_->check(impl_->db->TryCatchUpWithPrimary());
  impl_->load_pending(journals);
}

std::optional<LockHolder> Store::lock_holder() const {
  if (impl_->in_memory) return std::nullopt;
  return StoreLock::holder(impl_->directory);
}

void Store::verify() const {
  if (impl_->in_memory) return;
  impl_->open_deferred();
  impl_->check(impl_->db->VerifyChecksum());
  for (const fs::path& file : list_journals(impl_->directory)) read_journal(file);
}

void Store::flush() {
  if (impl_->mode != AccessMode::write || impl_->in_memory) return;
  impl_->open_deferred();
  impl_->flush_all();
}

}  // namespace flowstate::store
