#include "tools/flowstate/progress_option.hpp"

#include <unistd.h>

#include <cstdlib>

namespace flowstate::cli {

void add_progress_option(CLI::App& command, std::string& progress) {
  command
      .add_option("--progress", progress,
                  "live progress on stderr: tty (a status redrawn in place), plain (a line per state "
                  "entered, a Map summary every few seconds), none, or auto (default: tty on a "
                  "terminal, else plain)")
      ->check(CLI::IsMember({"auto", "tty", "plain", "none"}));
}

ProgressMode progress_mode(std::string_view progress, bool quiet, int fd) {
  if (quiet || progress == "none") return ProgressMode::none;
  if (progress == "tty") return ProgressMode::tty;
  if (progress == "plain") return ProgressMode::plain;
  const char* term = std::getenv("TERM");
  bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return ::isatty(fd) == 1 && !dumb ? ProgressMode::tty : ProgressMode::plain;
}

}  // namespace flowstate::cli
