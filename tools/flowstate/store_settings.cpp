#include "tools/flowstate/store_settings.hpp"

#include <cstdlib>
#include <iostream>

namespace flowstate::cli {

void add_store_options(CLI::App& command, StoreSettings& settings, bool writer) {
  // Not CLI11's envname(): sibling subcommands bind --store to the same settings, and CLI11
  // 2.1 applies an option's environment variable in every subcommand, used or not, so an
  // unused sibling's FLOWSTATE_STORE overwrote the --store given to the command that ran.
  // open_store reads FLOWSTATE_STORE when --store is not given.
  command.add_option("--store", settings.directory,
                     "the store directory (default: $FLOWSTATE_STORE, else .flowstate in the "
                     "working directory)");
  if (!writer) return;
  command.add_option("--lock-timeout", settings.lock_timeout_seconds,
                     "seconds to wait for another flowstate process writing to the store "
                     "(default: 60)")
      ->check(CLI::Validator(
          [](const std::string& text) {
            double seconds = -1;
            return CLI::detail::lexical_cast(text, seconds) && seconds >= 0
                       ? std::string()
                       : "must be a number of seconds, 0 or more, not " + text;
          },
          "SECONDS"));
  command.add_option("--durability", settings.durability,
                     "wal: every transition is in the write-ahead log before the next state "
                     "starts (survives a killed process; default); sync: fsync every "
                     "transition (survives power loss)")
      ->check(CLI::IsMember({"wal", "sync"}));
}

std::string store_directory(const StoreSettings& settings) {
  const char* from_environment = std::getenv("FLOWSTATE_STORE");
  return !settings.directory.empty() ? settings.directory
         : from_environment && *from_environment ? from_environment
                                                 : kDefaultStore;
}

std::unique_ptr<store::Store> open_store(const StoreSettings& settings, store::AccessMode mode,
                                         const std::string& command, bool deferred) {
  store::StoreOptions options;
  options.directory = store_directory(settings);
  options.mode = mode;
  options.durability = settings.durability == "sync" ? store::Durability::sync : store::Durability::wal;
  options.lock_timeout = std::chrono::milliseconds(
      static_cast<std::int64_t>(settings.lock_timeout_seconds * 1000));
  options.holder_command = command;
  options.deferred = deferred;
  options.on_lock_wait = [](const std::string& message) { std::cerr << message << '\n'; };
  return store::Store::open(options);
}

std::string command_line(int argc, char** argv) {
  std::string line = "flowstate";
  for (int i = 1; i < argc; ++i) {
    line += ' ';
    line += argv[i];
  }
  return line;
}

}  // namespace flowstate::cli
