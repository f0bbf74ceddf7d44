// RocksDB's static initializers, deferred: in a static link they are moved out of the
// program's start-up (cmake/rocksdb-deferred-init.ld) and run here, once, before the first
// RocksDB call. Every function that calls RocksDB calls initialize_rocksdb() first.
#pragma once

namespace flowstate::store {

/// Runs RocksDB's deferred static initializers once (thread-safe); a no-op when the link
/// did not defer them (shared libraries). Also sets the process's malloc up for RocksDB's
/// allocations (see the .cpp).
void initialize_rocksdb();

}  // namespace flowstate::store
