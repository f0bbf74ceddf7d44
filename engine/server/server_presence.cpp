#include "engine/server/server_presence.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"
#include "engine/store/store_lock.hpp"

namespace flowstate::server {

namespace fs = std::filesystem;
namespace json = boost::json;

ServerPresence ServerPresence::publish(const fs::path& store, std::string url) {
  ServerPresence presence{static_cast<int>(::getpid()), std::move(url),
                          fmt::format("{:016x}{:016x}", data::random_u64(), data::random_u64())};
  std::string text = data::serialize_json(json::object{{"pid", presence.pid}, {"url", presence.url}, {"key", presence.key}});
  // Written whole under another name, then renamed: a reader sees the old file or the new one.
  fs::path temporary = store / fmt::format("{}.{}", kServerPresenceFile, presence.pid);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot write " + temporary.string());
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int error = errno;
  ::close(fd);
  if (!written) throw std::system_error(error, std::generic_category(), "cannot write " + temporary.string());
  fs::rename(temporary, store / kServerPresenceFile);
  return presence;
}

std::optional<ServerPresence> ServerPresence::find(const fs::path& store) {
  std::ifstream in(store / kServerPresenceFile);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = data::parse_json(text.str());
  if (!parsed || !parsed->is_object()) return std::nullopt;
  const json::object& object = parsed->get_object();
  const json::value* pid = object.if_contains("pid");
  const json::value* url = object.if_contains("url");
  const json::value* key = object.if_contains("key");
  if (!pid || !pid->is_int64() || !url || !url->is_string() || !key || !key->is_string()) return std::nullopt;
  ServerPresence presence{static_cast<int>(pid->get_int64()), std::string(url->get_string()),
                          std::string(key->get_string())};
  auto holder = store::StoreLock::holder(store);
  if (!holder || holder->pid != presence.pid) return std::nullopt;
  return presence;
}

void ServerPresence::withdraw(const fs::path& store) {
  auto found = find(store);
  if (found && found->pid == static_cast<int>(::getpid())) {
    std::error_code ignored;
    fs::remove(store / kServerPresenceFile, ignored);
  }
}

}  // namespace flowstate::server
