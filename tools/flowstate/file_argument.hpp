// The text of a file that a command-line option names, '-' meaning standard input
// (`run --input-file`, `send-task-success --output-file`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flowstate::cli {

/// The file's text without a leading UTF-8 byte order mark, or nullopt after printing
/// "flowstate: cannot read the WHAT file 'PATH': REASON" on stderr (a directory included).
std::optional<std::string> read_file_argument(const std::string& path, std::string_view what);

}  // namespace flowstate::cli
