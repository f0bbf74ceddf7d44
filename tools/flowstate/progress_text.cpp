#include "tools/flowstate/progress_text.hpp"

#include <cmath>

#include <fmt/format.h>

namespace flowstate::cli {

namespace {

std::string qualified(std::string_view machine, std::string_view state) {
  return machine.empty() ? std::string(state) : fmt::format("{}/{}", machine, state);
}

// What is left of a sleep, never negative.
std::chrono::duration<double> left_until(std::chrono::system_clock::time_point until,
                                         std::chrono::system_clock::time_point now) {
  return until > now ? std::chrono::duration<double>(until - now) : std::chrono::duration<double>(0);
}

}  // namespace

std::string duration_text(std::chrono::duration<double> duration) {
  double seconds = std::max(0.0, duration.count());
  if (seconds < 60) return fmt::format("{:.1f}s", std::floor(seconds * 10) / 10);
  auto whole = static_cast<long long>(seconds);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
}

std::string map_text(const MapCounts& counts, std::optional<double> per_second) {
  std::string text = fmt::format("{}/{} done, {} failed, {} running", counts.done, counts.total, counts.failed,
                                 counts.running);
  if (per_second && *per_second > 0) {
    std::size_t left = counts.total - std::min(counts.total, counts.done + counts.failed);
    text += fmt::format(", {:.1f}/s, ETA {}", *per_second,
                        duration_text(std::chrono::duration<double>(static_cast<double>(left) / *per_second)));
  }
  return text;
}

std::string state_row(const RunningState& state, std::string_view machine, std::chrono::system_clock::time_point now,
                      std::optional<double> map_per_second) {
  std::string row = fmt::format("{} ({})", qualified(machine, state.name), asl::to_string(state.type));
  if (state.sleeping_until && state.type == asl::StateType::wait)
    return row + fmt::format(" {} left", duration_text(left_until(*state.sleeping_until, now)));
  if (state.sleeping_until)
    return row + fmt::format(" retry {} in {}", state.retry_count,
                             duration_text(left_until(*state.sleeping_until, now)));
  if (state.map) return row + ' ' + map_text(*state.map, map_per_second);
  row += ' ' + duration_text(now - state.entered);
  if (state.branches) row += fmt::format(", {}/{} branches done", state.branches->first, state.branches->second);
  if (state.retry_count > 0) row += fmt::format(", retry {}", state.retry_count);
  return row;
}

std::string plain_head(std::chrono::duration<double> elapsed) {
  return fmt::format("flowstate: +{} ", duration_text(elapsed));
}

std::string plain_line(std::chrono::duration<double> elapsed, std::string_view what) {
  return plain_head(elapsed).append(what);
}

void append_entered_line(std::string& out, std::string_view head, std::string_view machine, std::string_view state,
                         std::string_view type) {
  out.append(head).append("entered ");
  if (!machine.empty()) out.append(machine).append("/");
  out.append(state).append(" (").append(type).append(")\n");
}

}  // namespace flowstate::cli
