// DefinitionSource: a definition as an execution keeps it — the path it was read from and
// its text (stored by content hash, so a resume or redrive runs exactly what started).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace flowstate::durable {

struct DefinitionSource {
  std::string file;
  std::string text;

  /// Reads a definition file; nullopt (errno set) when it cannot be read.
  static std::optional<DefinitionSource> read(const std::filesystem::path& file);
};

}  // namespace flowstate::durable
