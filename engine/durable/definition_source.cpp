#include "engine/durable/definition_source.hpp"

#include <fstream>
#include <sstream>

namespace flowstate::durable {

std::optional<DefinitionSource> DefinitionSource::read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return DefinitionSource{file.string(), text.str()};
}

}  // namespace flowstate::durable
