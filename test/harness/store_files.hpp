// store_files: test access to a store's files on disk, for the crash and damage tests (find
// the newest WAL or a table file, flip a byte). Header-only test harness.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace flowstate::test {

/// The files in `directory` ending with `extension` (".log", ".sst"), in name order, so
/// the last one is the newest (RocksDB numbers its files in creation order).
inline std::vector<std::filesystem::path> store_files(const std::filesystem::path& directory,
                                                      const std::string& extension) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.path().extension() == extension) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// Inverts every bit of the byte at `offset`.
inline void flip_byte(const std::filesystem::path& file, std::uintmax_t offset) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  stream.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  stream.read(&byte, 1);
  byte = static_cast<char>(~byte);
  stream.seekp(static_cast<std::streamoff>(offset));
  stream.write(&byte, 1);
  if (!stream) throw std::runtime_error("cannot flip a byte in " + file.string());
}

}  // namespace flowstate::test
