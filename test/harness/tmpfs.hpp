// Tmpfs: a small tmpfs mounted at a path for the object's lifetime, for tests of a full
// disk. Needs mount(2); when it is not permitted, mounted() is false and error() says why,
// so the test can skip with a warning. Header-only test harness.
#pragma once

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace flowstate::test {

class Tmpfs {
 public:
  /// `size`: the mount option, e.g. "size=4m".
  Tmpfs(const std::filesystem::path& path, const char* size) : path_(path) {
    std::filesystem::create_directories(path_);
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, size) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace flowstate::test
