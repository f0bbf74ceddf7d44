#include "engine/store/rocksdb_initialization.hpp"

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
    const StaticInitializer* it = __flowstate_rocksdb_init_array_start;
    const StaticInitializer* end = __flowstate_rocksdb_init_array_end;
    if (it == nullptr || end == nullptr) return;
    for (; it != end; ++it) (*it)();
  });
}

}  // namespace flowstate::store
