// The store options every command that touches executions takes (--store, FLOWSTATE_STORE,
// --lock-timeout, --durability), and opening the store with them.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "engine/store/store.hpp"

namespace flowstate::cli {

inline constexpr const char* kDefaultStore = ".flowstate";

struct StoreSettings {
  /// --store; "" when not given: then FLOWSTATE_STORE, else kDefaultStore (open_store).
  std::string directory;
  double lock_timeout_seconds = 60;
  std::string durability = "wal";
};

/// --store (and FLOWSTATE_STORE); with `writer`, also --lock-timeout and --durability.
void add_store_options(CLI::App& command, StoreSettings& settings, bool writer);

/// The store's directory: --store, else $FLOWSTATE_STORE, else kDefaultStore.
std::string store_directory(const StoreSettings& settings);

/// Opens the store; throws store::StoreError. `command` is recorded with the writer lock;
/// `deferred`: see store::StoreOptions::deferred.
std::unique_ptr<store::Store> open_store(const StoreSettings& settings, store::AccessMode mode,
                                         const std::string& command, bool deferred = false);

/// The command line as the lock records it ("flowstate run pipeline.yaml").
std::string command_line(int argc, char** argv);

}  // namespace flowstate::cli
