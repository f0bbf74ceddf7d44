// writing / reading: StoreOptions for a test store, one line each (designated initializers
// that leave fields out trip -Wmissing-field-initializers). Header-only test harness.
#pragma once

#include <chrono>
#include <filesystem>

#include "engine/store/store.hpp"

namespace flowstate::test {

inline store::StoreOptions writing(const std::filesystem::path& directory,
                                   store::Durability durability = store::Durability::wal) {
  store::StoreOptions options;
  options.directory = directory;
  options.durability = durability;
  return options;
}

/// Write-mode options for a deferred writer (store::StoreOptions::deferred).
inline store::StoreOptions deferring(const std::filesystem::path& directory,
                                     store::Durability durability = store::Durability::wal) {
  store::StoreOptions options = writing(directory, durability);
  options.deferred = true;
  return options;
}

inline store::StoreOptions reading(const std::filesystem::path& directory) {
  store::StoreOptions options;
  options.directory = directory;
  options.mode = store::AccessMode::read;
  return options;
}

/// Write-mode options that wait at most `timeout` for the lock, recording `command`.
inline store::StoreOptions waiting(const std::filesystem::path& directory, std::chrono::milliseconds timeout,
                                   std::string command = {}) {
  store::StoreOptions options = writing(directory);
  options.lock_timeout = timeout;
  options.holder_command = std::move(command);
  return options;
}

}  // namespace flowstate::test
