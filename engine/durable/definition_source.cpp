#include "engine/durable/definition_source.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace flowstate::durable {

std::optional<DefinitionSource> DefinitionSource::read(const std::filesystem::path& file) {
  // A directory opens as an empty stream: refuse it as the OS refuses to read it.
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored)) {
    errno = EISDIR;
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return DefinitionSource{file.string(), text.str()};
}

}  // namespace flowstate::durable
