#include "tools/flowstate/file_argument.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace flowstate::cli {

namespace {

// A UTF-8 byte order mark, which Windows editors write at the start of a file. JSON readers
// may ignore it (RFC 8259, section 8.1); flowstate does.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string without_byte_order_mark(std::string text) {
  if (text.starts_with(kByteOrderMark)) text.erase(0, kByteOrderMark.size());
  return text;
}

}  // namespace

std::optional<std::string> read_file_argument(const std::string& path, std::string_view what) {
  if (path == "-") return without_byte_order_mark(std::string(std::istreambuf_iterator<char>(std::cin), {}));
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    std::cerr << fmt::format("flowstate: cannot read the {} file '{}': it is a directory; give a file\n", what,
                             path);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << fmt::format("flowstate: cannot read the {} file '{}': {}\n", what, path, std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return without_byte_order_mark(text.str());
}

}  // namespace flowstate::cli
