#include "engine/store/store.hpp"

#include <stdlib.h>

#include <cstdarg>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/convenience.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "engine/store/key_encoding.hpp"
#include "engine/store/rocksdb_initialization.hpp"

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
    throw StoreError(StoreError::Kind::no_space,
                     fmt::format("no space left on device writing to store {}", directory.string()));
  if (status.IsCorruption())
    throw StoreError(StoreError::Kind::corrupted,
                     fmt::format("store {} is corrupted: {}; restore it from a backup or move it aside",
                                 directory.string(), message));
  throw StoreError(StoreError::Kind::io, fmt::format("store {}: {}", directory.string(), message));
}

// Whether the directory holds anything but our lock file.
bool has_foreign_files(const fs::path& directory) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error))
    if (entry.path().filename() != kLockFileName) return true;
  return false;
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

rocksdb::Options base_options(const std::shared_ptr<rocksdb::Logger>& logger) {
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
  return options;
}

}  // namespace

class Store::Impl {
 public:
  fs::path directory;
  AccessMode mode = AccessMode::write;
  std::optional<StoreLock> lock;  // destroyed last: released after the database is closed
  std::shared_ptr<rocksdb::Logger> logger = std::make_shared<StoreLogger>();
  fs::path secondary_directory;  // read mode: the secondary instance's private directory
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::WriteOptions write_options;

  ~Impl() {
    if (db) {
      db->Close().PermitUncheckedError();
      db.reset();
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

  bool empty() const {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    it->SeekToFirst();
    check(it->status());
    return !it->Valid();
  }

  // Checks the format key; a write-mode store without one and without data is finished
  // (a creation interrupted before its first write).
  void check_format() {
    std::string version;
    rocksdb::Status status = db->Get(rocksdb::ReadOptions(), slice(kFormatKey), &version);
    if (status.IsNotFound()) {
      if (!empty())
        throw StoreError(StoreError::Kind::version,
                         fmt::format("store {} has no format version; this flowstate reads version {}",
                                     directory.string(), kFormatVersion));
      if (mode == AccessMode::read) throw_missing(directory);
      rocksdb::WriteOptions synced;
      synced.sync = true;
      check(db->Put(synced, slice(kFormatKey), std::to_string(kFormatVersion)));
      return;
    }
    check(status);
    if (version != std::to_string(kFormatVersion))
      throw StoreError(StoreError::Kind::version,
                       fmt::format("store {} has format version {}; this flowstate reads version {}",
                                   directory.string(), version, kFormatVersion));
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

    rocksdb::Options db_options = base_options(logger);
    db_options.create_if_missing = !exists;
    rocksdb::DB* raw = nullptr;
    check(rocksdb::DB::Open(db_options, directory.string(), &raw));
    db.reset(raw);
    write_options.sync = options.durability == Durability::sync;
    write_options.disableWAL = false;
    check_format();
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
    rocksdb::DB* raw = nullptr;
    check(rocksdb::DB::OpenAsSecondary(base_options(logger), directory.string(), secondary_directory.string(), &raw));
    db.reset(raw);
    check_format();
  }
};

std::unique_ptr<Store> Store::open(const StoreOptions& options) {
  initialize_rocksdb();
  auto impl = std::make_unique<Impl>();
  impl->directory = options.directory;
  impl->mode = options.mode;
  if (options.mode == AccessMode::write)
    impl->open_writer(options);
  else
    impl->open_reader();
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const fs::path& Store::directory() const { return impl_->directory; }
AccessMode Store::mode() const { return impl_->mode; }

void Store::write(WriteBatch& batch) {
  rocksdb::Status status = impl_->db->Write(impl_->write_options, batch.rep_.get());
  if (!status.ok()) [[unlikely]]
    impl_->fail(status);
  batch.rep_->Clear();
}

std::optional<std::string> Store::get(std::string_view key) const {
  std::string value;
  rocksdb::Status status = impl_->db->Get(rocksdb::ReadOptions(), slice(key), &value);
  if (status.IsNotFound()) return std::nullopt;
  impl_->check(status);
  return value;
}

void Store::scan(std::string_view prefix,
                 const std::function<bool(std::string_view key, std::string_view value)>& visit,
                 std::string_view from) const {
  std::string end = prefix_successor(prefix);
  rocksdb::Slice upper = slice(end);
  rocksdb::ReadOptions read;
  if (!end.empty()) read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read));
  for (it->Seek(slice(from > prefix ? from : prefix)); it->Valid(); it->Next()) {
    std::string_view key = view(it->key());
    if (key.substr(0, prefix.size()) != prefix) break;  // only when there is no upper bound
    if (!visit(key, view(it->value()))) return;
  }
  impl_->check(it->status());
}

std::optional<std::pair<std::string, std::string>> Store::last_with_prefix(std::string_view prefix) const {
  std::string end = prefix_successor(prefix);
  rocksdb::Slice upper = slice(end);
  rocksdb::Slice lower = slice(prefix);
  rocksdb::ReadOptions read;
  if (!end.empty()) read.iterate_upper_bound = &upper;
  read.iterate_lower_bound = &lower;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read));
  it->SeekToLast();
  impl_->check(it->status());
  if (!it->Valid()) return std::nullopt;
  return std::pair{it->key().ToString(), it->value().ToString()};
}

void Store::refresh() {
  if (impl_->mode == AccessMode::read) impl_->check(impl_->db->TryCatchUpWithPrimary());
}

std::optional<LockHolder> Store::lock_holder() const { return StoreLock::holder(impl_->directory); }

void Store::verify() const { impl_->check(impl_->db->VerifyChecksum()); }

void Store::flush() {
  if (impl_->mode != AccessMode::write) return;
  rocksdb::FlushOptions options;
  options.wait = true;
  impl_->check(impl_->db->Flush(options));
}

}  // namespace flowstate::store
