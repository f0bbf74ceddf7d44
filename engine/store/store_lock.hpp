// StoreLock: the single-writer lock of a store directory, an flock(2) on our own lock file,
// which also tells waiting processes who holds it.
//
// Lock file format (`<store>/flowstate.lock`, text, rewritten by each new holder):
//   line 1: the holder's pid in decimal
//   line 2: the holder's command (StoreOptions::holder_command), may be empty
// The file's presence means nothing: only the flock does. The kernel releases an flock when
// its holder dies (kill -9 included), so a lock file left by a dead process never blocks;
// its stale content is simply overwritten by the next writer. The content is read without
// the lock, so a reader racing a new holder may see it empty (then the holder is unknown).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace flowstate::store {

/// Who holds a store's writer lock.
struct LockHolder {
  pid_t pid = 0;
  std::string command;
};

inline constexpr const char* kLockFileName = "flowstate.lock";

class StoreLock {
 public:
  struct Request {
    std::filesystem::path directory;  ///< must exist
    std::string command;              ///< recorded as the holder's command
    std::chrono::milliseconds timeout{60'000};
    std::function<void(const std::string& message)> on_wait;  ///< called once if the lock is busy
  };

  /// Takes the lock, polling every 100 ms while another process holds it; throws
  /// StoreError locked (naming the holder) after `timeout`, io when the file cannot be used.
  static StoreLock acquire(const Request& request);

  /// The current holder of the lock on `directory`, or nothing when no process holds it.
  /// Probes with a non-blocking shared flock, so it is exact, and never waits (a writer
  /// polling for the lock at that instant retries 100 ms later). pid 0 and no command: held,
  /// but the new holder has not written its line yet.
  static std::optional<LockHolder> holder(const std::filesystem::path& directory);

  StoreLock(StoreLock&& other) noexcept;
  StoreLock& operator=(StoreLock&& other) noexcept;
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();  ///< releases the lock (the file stays)

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace flowstate::store
