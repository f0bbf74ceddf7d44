// StoreError: an environment failure of the store (locked, disk full, damaged, wrong format,
// missing, other I/O), as one clear line for users that names the store directory.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace flowstate::store {

class StoreError : public std::runtime_error {
 public:
  enum class Kind {
    locked,       ///< another process holds the writer lock past lock_timeout
    no_space,     ///< the device is full; reopen the store once space is freed
    corrupted,    ///< a checksum or WAL record failed; restore from a backup
    version,      ///< the store's format version is not the one this build reads
    missing,      ///< read mode: there is no store at the directory
    io,           ///< any other I/O failure
    not_a_store,  ///< the directory holds files but no store
  };

  StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  /// The device holding `store` (the store directory) is full.
  static StoreError no_space(const std::filesystem::path& store) {
    return StoreError(Kind::no_space, "no space left on device writing to store " + store.string());
  }
  /// A journal file (journal.hpp) is damaged: `what` says how.
  static StoreError journal_corrupted(const std::filesystem::path& journal, const std::string& what) {
    return StoreError(Kind::corrupted, "store journal " + journal.string() + " is corrupted: " + what +
                                           "; restore the store from a backup or move the file aside");
  }

  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace flowstate::store
