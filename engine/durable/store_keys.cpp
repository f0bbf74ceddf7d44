#include "engine/durable/store_keys.hpp"

#include "engine/store/key_encoding.hpp"

namespace flowstate::durable::keys {

namespace {

std::string under(char kind, std::string_view id) {
  std::string key;
  key.reserve(2 + id.size() + 1 + 8);
  key.push_back(kind);
  key.push_back('/');
  key.append(id);
  key.push_back('/');
  return key;
}

}  // namespace

std::string execution(std::string_view id) { return "x/" + std::string(id); }
std::string execution_prefix() { return "x/"; }
std::string name(std::string_view name) { return "n/" + std::string(name); }
std::string definition(std::string_view hash) { return "d/" + std::string(hash); }
std::string state_machine(std::string_view name) { return "m/" + std::string(name); }
std::string state_machine_prefix() { return "m/"; }
std::string activity(std::string_view name) { return "a/" + std::string(name); }
std::string activity_prefix() { return "a/"; }
std::string map_run(std::string_view arn) { return "r/" + std::string(arn); }

std::string state_machine_version(std::string_view name, std::int64_t version) {
  std::string key = under('v', name);
  store::append_u64_be(key, static_cast<std::uint64_t>(version));
  return key;
}
std::string state_machine_versions_prefix(std::string_view name) { return under('v', name); }
std::string state_machine_alias(std::string_view name, std::string_view alias) {
  return under('s', name).append(alias);
}
std::string state_machine_aliases_prefix(std::string_view name) { return under('s', name); }

std::string event(std::string_view id, std::int64_t event_id) {
  std::string key = under('e', id);
  store::append_u64_be(key, static_cast<std::uint64_t>(event_id));
  return key;
}
std::string events_prefix(std::string_view id) { return under('e', id); }

std::string checkpoint(std::string_view id, std::string_view branch_path) {
  return under('c', id).append(branch_path);
}
std::string checkpoints_prefix(std::string_view id) { return under('c', id); }
std::string finished(std::string_view id, std::string_view branch_path) {
  return under('f', id).append(branch_path);
}
std::string finished_prefix(std::string_view id) { return under('f', id); }

std::string log_line(std::string_view id, std::uint64_t sequence) {
  std::string key = under('l', id);
  store::append_u64_be(key, sequence);
  return key;
}
std::string logs_prefix(std::string_view id) { return under('l', id); }

std::string child(std::string_view id, std::int64_t redrive_count, std::string_view invocation) {
  std::string key = under('k', id);
  store::append_u64_be(key, static_cast<std::uint64_t>(redrive_count));
  key.push_back('/');
  key.append(invocation);
  return key;
}

std::string children_prefix(std::string_view id) { return under('k', id); }

// Both end in an 8-byte big-endian number.
std::uint64_t sequence_of(std::string_view key) { return store::read_u64_be(key.substr(key.size() - 8)); }

std::int64_t event_id_of(std::string_view key) { return static_cast<std::int64_t>(sequence_of(key)); }

std::string_view branch_path_of(std::string_view key, std::string_view id) {
  // "c/" ID "/" PATH
  return key.substr(2 + id.size() + 1);
}

}  // namespace flowstate::durable::keys
