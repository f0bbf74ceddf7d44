#include "engine/store/rocksdb_initialization.hpp"

#include <malloc.h>

#include <mutex>

// Defined by cmake/rocksdb-deferred-init.ld in static links; weak, so that they are null
// (no initializers deferred) when the script is not used.
extern "C" {
using StaticInitializer = void (*)();
extern const StaticInitializer __flowstate_rocksdb_init_array_start[] __attribute__((weak));
extern const StaticInitializer __flowstate_rocksdb_init_array_end[] __attribute__((weak));
}

namespace flowstate::store {

void initialize_rocksdb() {
  static std::once_flag once;
  std::call_once(once, [] {
    // RocksDB allocates blocks above glibc's mmap threshold (a memtable's 512 KB arena
    // blocks, table builders' buffers) and frees them at every flush; glibc would map and
    // unmap them, or trim the heap, each time, and every page touched again is a page fault
    // (costly on a VM: a third of the store loop's kernel time). Blocks up to 32 MiB
    // (glibc's maximum) now come from the heap, and the heap keeps up to 256 MiB of free
    // memory instead of returning it: a writer's memory stays at its high-water mark, which
    // RocksDB's memtables bound. Measured with the same settings as GLIBC_TUNABLES on the
    // store loop before history values were compressed: 32.1k → 3.8k page faults and 3.22 →
    // 2.84 s of task clock for 6 runs of 100k transitions.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    const StaticInitializer* it = __flowstate_rocksdb_init_array_start;
    const StaticInitializer* end = __flowstate_rocksdb_init_array_end;
    if (it == nullptr || end == nullptr) return;
    for (; it != end; ++it) (*it)();
  });
}

}  // namespace flowstate::store
