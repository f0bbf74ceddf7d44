// store_write_bench: batches/s of Store::write for transition-shaped WriteBatches (3 puts:
// keys ~30 bytes, values ~100 bytes), in wal and sync durability, and the same load through
// raw RocksDB with option variants, to choose Store's options. A measurement, not a test.
//
//   store_write_bench [--batches N] [--sync-seconds S] [--dir DIR] [--variants]
// The store directories are created under DIR (default: a fresh folder in the system temp
// directory, on the same disk as the working directory here) and removed at the end.
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "engine/store/key_encoding.hpp"
#include "engine/store/rocksdb_initialization.hpp"
#include "engine/store/store.hpp"

namespace {

namespace fs = std::filesystem;
using flowstate::store::append_u64_be;

struct Load {
  std::uint64_t batches = 200'000;
  double sync_seconds = 20;  // sync mode stops early after this long (fsync-bound)
};

// Builds transition i's three puts: two history events and the branch checkpoint.
class TransitionKeys {
 public:
  void build(std::uint64_t i, const std::function<void(std::string_view, std::string_view)>& put) {
    for (int event = 0; event < 2; ++event) {
      key_.assign("exec/0123456789abcdef/event/");  // 28 bytes + 8
      append_u64_be(key_, i * 2 + static_cast<std::uint64_t>(event));
      put(key_, value_);
    }
    key_.assign("exec/0123456789abcdef/ckpt/b0");  // the checkpoint is overwritten
    put(key_, value_);
  }

 private:
  std::string key_;
  std::string value_ = std::string(
      R"({"type":"PassStateExited","details":{"name":"Step","output":"{\"n\":12345,\"ok\":true}"}})");
};

struct Figure {
  std::uint64_t batches = 0;
  double seconds = 0;
};

void report(const char* name, Figure figure) {
  std::printf("%-44s %8llu batches in %6.2f s: %9.0f batches/s (%9.0f puts/s)\n", name,
              static_cast<unsigned long long>(figure.batches), figure.seconds, figure.batches / figure.seconds,
              3 * figure.batches / figure.seconds);
  std::fflush(stdout);
}

template <class WriteOne>
Figure run(std::uint64_t batches, double limit_seconds, WriteOne write_one) {
  auto start = std::chrono::steady_clock::now();
  Figure figure;
  for (; figure.batches < batches; ++figure.batches) {
    write_one(figure.batches);
    if ((figure.batches & 1023) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit_seconds)
      break;
  }
  figure.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return figure;
}

Figure bench_store(const fs::path& directory, flowstate::store::Durability durability, const Load& load) {
  flowstate::store::StoreOptions options;
  options.directory = directory;
  options.durability = durability;
  auto store = flowstate::store::Store::open(options);
  flowstate::store::WriteBatch batch;
  TransitionKeys keys;
  double limit = durability == flowstate::store::Durability::sync ? load.sync_seconds : 1e9;
  return run(load.batches, limit, [&](std::uint64_t i) {
    keys.build(i, [&](std::string_view key, std::string_view value) { batch.put(key, value); });
    store->write(batch);
  });
}

Figure bench_raw(const fs::path& directory, const std::function<void(rocksdb::Options&, rocksdb::WriteOptions&)>& tune,
                 const Load& load) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  options.max_open_files = -1;
  rocksdb::WriteOptions write;
  tune(options, write);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, directory.string(), &raw);
  if (!status.ok()) {
    std::fprintf(stderr, "store_write_bench: %s\n", status.ToString().c_str());
    std::exit(3);
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteBatch batch;
  TransitionKeys keys;
  return run(load.batches, write.sync ? load.sync_seconds : 1e9, [&](std::uint64_t i) {
    keys.build(i, [&](std::string_view key, std::string_view value) {
      batch.Put(rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
    });
    rocksdb::Status written = db->Write(write, &batch);
    if (!written.ok()) {
      std::fprintf(stderr, "store_write_bench: %s\n", written.ToString().c_str());
      std::exit(3);
    }
    batch.Clear();
  });
}

}  // namespace

int main(int argc, char** argv) {
  flowstate::store::initialize_rocksdb();  // the raw variants call RocksDB directly
  Load load;
  fs::path root;
  bool variants = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--batches" && i + 1 < argc) load.batches = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--sync-seconds" && i + 1 < argc) load.sync_seconds = std::atof(argv[++i]);
    else if (arg == "--dir" && i + 1 < argc) root = argv[++i];
    else if (arg == "--variants") variants = true;
    else {
      std::fprintf(stderr, "usage: store_write_bench [--batches N] [--sync-seconds S] [--dir DIR] [--variants]\n");
      return 2;
    }
  }
  bool temporary = root.empty();
  if (temporary) {
    std::string pattern = (fs::temp_directory_path() / "flowstate-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return 3;
    root = pattern;
  }
  int next = 0;
  auto fresh = [&] { return root / ("store-" + std::to_string(next++)); };

  std::printf("3 puts per batch (keys 29-36 bytes, values %zu bytes), up to %llu batches\n",
              std::string_view(R"({"type":"PassStateExited","details":{"name":"Step","output":"{\"n\":12345,\"ok\":true}"}})").size(),
              static_cast<unsigned long long>(load.batches));
  report("Store::write, Durability::wal", bench_store(fresh(), flowstate::store::Durability::wal, load));
  report("Store::write, Durability::sync", bench_store(fresh(), flowstate::store::Durability::sync, load));

  if (variants) {
    using Tune = std::function<void(rocksdb::Options&, rocksdb::WriteOptions&)>;
    const std::pair<const char*, Tune> cases[] = {
        {"raw: RocksDB defaults", [](auto&, auto&) {}},
        {"raw: write_buffer_size 256 MB, 4 buffers",
         [](auto& o, auto&) { o.write_buffer_size = 256 << 20, o.max_write_buffer_number = 4; }},
        {"raw: no compression", [](auto& o, auto&) { o.compression = rocksdb::kNoCompression; }},
        {"raw: enable_pipelined_write", [](auto& o, auto&) { o.enable_pipelined_write = true; }},
        {"raw: unordered_write", [](auto& o, auto&) { o.unordered_write = true; }},
        {"raw: allow_concurrent_memtable_write off",
         [](auto& o, auto&) { o.allow_concurrent_memtable_write = false; }},
        {"raw: WAL buffered in process (manual_wal_flush)", [](auto& o, auto&) { o.manual_wal_flush = true; }},
        {"raw: no WAL (upper bound, not durable)", [](auto&, auto& w) { w.disableWAL = true; }},
    };
    for (const auto& [name, tune] : cases) report(name, bench_raw(fresh(), tune, load));
  }
  if (temporary) fs::remove_all(root);
  return 0;
}
