#include "engine/store/journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <system_error>

#include <fmt/format.h>

#include "engine/store/key_encoding.hpp"
#include "engine/store/store_error.hpp"

namespace flowstate::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "FSJRNL1\n";
constexpr std::size_t kHeader = 8;  // length and CRC of a record
// No batch comes near this; a length above it is damage, not a record torn by a crash.
constexpr std::uint32_t kMaxRecord = 256u << 20;

std::uint32_t checksum(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// `doing` names what failed with its subject, e.g. "write journal/X.log".
[[noreturn]] void throw_errno(const fs::path& store_directory, int error, std::string_view doing) {
  if (error == ENOSPC || error == EDQUOT) throw StoreError::no_space(store_directory);
  throw StoreError(StoreError::Kind::io, fmt::format("store {}: cannot {}: {}", store_directory.string(), doing,
                                                     std::generic_category().message(error)));
}

fs::path store_of(const fs::path& journal) { return journal.parent_path().parent_path(); }

std::string subject(const fs::path& journal) {
  return (fs::path(kJournalFolder) / journal.filename()).string();
}

void fsync_directory(const fs::path& store_directory, const fs::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(store_directory, errno, "open " + directory.string());
  int result = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (result != 0) throw_errno(store_directory, error, "sync " + directory.string());
}

}  // namespace

JournalWriter::JournalWriter(const fs::path& store_directory, bool sync)
    : store_directory_(store_directory), sync_(sync) {
  fs::path folder = store_directory / kJournalFolder;
  std::error_code error;
  fs::create_directory(folder, error);
  if (error) throw_errno(store_directory, error.value(), "create " + folder.string());
  // Names sort by creation time, so journals are ingested in the order they were written.
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  path_ = folder / fmt::format("{:020}-{}.log", now, ::getpid());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno(store_directory, errno, "create " + subject(path_));
  if (sync_) {
    try {
      fsync_directory(store_directory, folder);
    } catch (...) {
      ::close(fd_);
      ::unlink(path_.c_str());
      throw;
    }
  }
}

JournalWriter::~JournalWriter() { close(); }

void JournalWriter::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void JournalWriter::append(std::string_view payload) {
  buffer_.clear();
  if (size_ == 0) buffer_.append(kMagic);  // the header goes with the first record
  append_u32_be(buffer_, static_cast<std::uint32_t>(payload.size()));
  append_u32_be(buffer_, checksum(payload));
  buffer_.append(payload);
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    ssize_t written = ::write(fd_, rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      int error = written < 0 ? errno : ENOSPC;
      // Cut the half-written record off, so a later record can never follow it.
      if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {}
      throw_errno(store_directory_, error, "write " + subject(path_));
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  if (sync_ && ::fdatasync(fd_) != 0) throw_errno(store_directory_, errno, "sync " + subject(path_));
  size_ += buffer_.size();
}

std::optional<std::vector<std::string>> read_journal(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno(store_of(file), errno, "open " + subject(file));
  }
  std::string bytes;
  char chunk[65536];
  for (;;) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int error = errno;
      ::close(fd);
      throw_errno(store_of(file), error, "read " + subject(file));
    }
    if (got == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(got));
  }
  ::close(fd);

  auto corrupted = [&file](const std::string& what) { return StoreError::journal_corrupted(file, what); };
  std::vector<std::string> records;
  std::string_view rest = bytes;
  if (rest.size() < kMagic.size()) return records;  // created, nothing committed yet
  if (rest.substr(0, kMagic.size()) != kMagic) throw corrupted("it does not start with a journal header");
  rest.remove_prefix(kMagic.size());
  while (!rest.empty()) {
    if (rest.size() < kHeader) break;  // torn last record
    std::uint32_t size = read_u32_be(rest);
    std::uint32_t expected = read_u32_be(rest.substr(4));
    if (size > kMaxRecord) throw corrupted(fmt::format("record at byte {} claims {} bytes",
                                                       bytes.size() - rest.size(), size));
    if (rest.size() - kHeader < size) break;  // torn last record
    std::string_view payload = rest.substr(kHeader, size);
    bool last = rest.size() == kHeader + size;
    if (checksum(payload) != expected) {
      if (last) break;  // a last record damaged in the write: not committed
      throw corrupted(fmt::format("record at byte {} fails its checksum",
                                  bytes.size() - rest.size()));
    }
    records.emplace_back(payload);
    rest.remove_prefix(kHeader + size);
  }
  return records;
}

std::vector<fs::path> list_journals(const fs::path& store_directory) {
  // readdir, not std::filesystem::directory_iterator: every `flowstate run` lists the
  // journals, and the iterator's paths cost ten times as much.
  fs::path folder = store_directory / kJournalFolder;
  std::vector<std::string> names;
  if (DIR* directory = ::opendir(folder.c_str())) {
    while (const dirent* entry = ::readdir(directory)) {
      std::string_view name = entry->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".log") names.emplace_back(name);
    }
    ::closedir(directory);
  }
  std::sort(names.begin(), names.end());
  std::vector<fs::path> files;
  files.reserve(names.size());
  for (const auto& name : names) files.push_back(folder / name);
  return files;
}

}  // namespace flowstate::store
