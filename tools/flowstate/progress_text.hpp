// ProgressText: the words of the live progress display (live_progress.hpp) and of the lines
// followed from a server (served_store.hpp): durations, a running state's row, the plain line
// for a state entered, a Map's summary.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/asl/state_type.hpp"
#include "tools/flowstate/running_states.hpp"

namespace flowstate::cli {

/// "0.4s", "59.9s", "2m05s", "1h02m".
std::string duration_text(std::chrono::duration<double> duration);

/// A Map's progress: "1520/2000 done, 3 failed, 40 running", then ", 152.0/s, ETA 3.2s"
/// when `per_second` is known and positive.
std::string map_text(const MapCounts& counts, std::optional<double> per_second);

/// A running state as the status shows it: "Train (Task) 8.1s", "Pause (Wait) 47.9s left",
/// "Fetch (Task) retry 2 in 2.4s", "Process (Map) 1520/2000 done, ..."; `machine` prefixes
/// the name ("Executor/Work") when it is not empty.
std::string state_row(const RunningState& state, std::string_view machine, std::chrono::system_clock::time_point now,
                      std::optional<double> map_per_second);

/// How every line of the plain display starts: "flowstate: +1.2s ".
std::string plain_head(std::chrono::duration<double> elapsed);

/// A line of the plain display: plain_head(elapsed) and `what`.
std::string plain_line(std::chrono::duration<double> elapsed, std::string_view what);

/// The plain line for a state entered, with its newline, appended to `out` without
/// temporaries (the plain display writes one for every state entered): "flowstate: +1.2s
/// entered Train (Task)", "... entered Executor/Work (Task)" in a child execution (`machine`
/// not empty).
/// `head` is plain_head's.
void append_entered_line(std::string& out, std::string_view head, std::string_view machine, std::string_view state,
                         std::string_view type);

}  // namespace flowstate::cli
