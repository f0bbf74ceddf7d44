#include "engine/store/store_seal.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace flowstate::store {

namespace fs = std::filesystem;

namespace {

bool is_rocksdb_file(const std::string& name) {
  auto ends_with_any = [&](std::initializer_list<std::string_view> endings) {
    return std::any_of(endings.begin(), endings.end(), [&](std::string_view e) { return name.ends_with(e); });
  };
  return name == "CURRENT" || name == "IDENTITY" || name.starts_with("MANIFEST-") ||
         name.starts_with("OPTIONS-") || ends_with_any({".log", ".sst", ".blob"});
}

// The seal's text for the files as they are now; "" when they cannot all be listed.
std::string describe_files(const fs::path& directory) {
  std::vector<std::string> lines;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(error) || !is_rocksdb_file(name)) continue;
    auto size = entry.file_size(error);
    if (error) return {};
    auto modified = entry.last_write_time(error);
    if (error) return {};
    auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
    lines.push_back(fmt::format("{} {} {}\n", name, size, nanoseconds));
  }
  if (error) return {};
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line;
  return text;
}

}  // namespace

void write_seal(const fs::path& directory) {
  std::string text = describe_files(directory);
  if (text.empty()) return;
  fs::path temporary = directory / (std::string(kSealFileName) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
    if (!out.flush()) return;
  }
  std::error_code ignored;
  fs::rename(temporary, directory / kSealFileName, ignored);
}

bool seal_matches(const fs::path& directory) {
  std::ifstream in(directory / kSealFileName);
  if (!in) return false;
  std::ostringstream sealed;
  sealed << in.rdbuf();
  std::string now = describe_files(directory);
  return !now.empty() && sealed.str() == now;
}

void remove_seal(const fs::path& directory) {
  std::error_code ignored;
  fs::remove(directory / kSealFileName, ignored);
}

}  // namespace flowstate::store
