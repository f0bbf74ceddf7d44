// ServerPresence: how a running `flowstate server` tells the CLI on the same store where to
// reach it — the file STORE/server.json {"pid", "url", "key"}, readable by its owner only.
// The key admits the CLI's local actions (local_actions.cpp): whoever can read the store may
// run executions on it, through the server that holds its lock.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace flowstate::server {

inline constexpr const char* kServerPresenceFile = "server.json";
/// The header that carries the key.
inline constexpr const char* kStoreKeyHeader = "X-Flowstate-Store-Key";

struct ServerPresence {
  int pid = 0;
  std::string url;  ///< http://127.0.0.1:PORT
  std::string key;  ///< 128 random bits, hex

  /// Writes the file for this process, listening at `url`, with a new key; throws
  /// std::system_error when it cannot be written.
  static ServerPresence publish(const std::filesystem::path& store, std::string url);
  /// The server that holds the store's lock now, or nullopt (no server, or a file left by
  /// one that died).
  static std::optional<ServerPresence> find(const std::filesystem::path& store);
  /// Removes the file if this process wrote it.
  static void withdraw(const std::filesystem::path& store);
};

}  // namespace flowstate::server
