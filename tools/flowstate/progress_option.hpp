// The --progress option of `run`, `resume` and `redrive` (auto|tty|plain|none), and the
// display it chooses with -q and what stderr is.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace flowstate::cli {

enum class ProgressMode {
  none,   ///< nothing but task logs and messages
  tty,    ///< a status redrawn in place on a terminal
  plain,  ///< a line per state entered, a summary of each running Map every few seconds
};

/// Adds --progress to `command`, stored in `progress` ("auto" unless given).
void add_progress_option(CLI::App& command, std::string& progress);

/// What `progress` (auto, tty, plain or none) means for stderr (file descriptor `fd`): auto
/// is tty on a terminal whose TERM is not "dumb", plain otherwise; `quiet` is none.
ProgressMode progress_mode(std::string_view progress, bool quiet, int fd);

}  // namespace flowstate::cli
