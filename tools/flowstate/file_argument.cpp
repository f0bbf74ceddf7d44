#include "tools/flowstate/file_argument.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace flowstate::cli {

std::optional<std::string> read_file_argument(const std::string& path, std::string_view what) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << fmt::format("flowstate: cannot read the {} file '{}': {}\n", what, path, std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace flowstate::cli
