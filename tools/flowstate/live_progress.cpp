#include "tools/flowstate/live_progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "tools/flowstate/progress_text.hpp"
#include "tools/flowstate/running_states.hpp"

namespace flowstate::cli {

namespace {

constexpr auto kTick = std::chrono::milliseconds(100);            // at most 10 redraws a second
constexpr auto kMapSummaryInterval = std::chrono::seconds(5);     // plain: a line per Map
constexpr std::size_t kMaxStatusLines = 16;
constexpr std::size_t kPendingLimit = 64 * 1024;                  // plain: written sooner when fuller
constexpr std::chrono::duration<double> kRateWindow = std::chrono::seconds(1);

// The terminal's width, so that no line wraps (a wrapped line would break the redraw).
std::size_t terminal_columns(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col;
  return 80;
}

// `line` cut to `columns` characters (UTF-8 code points, counted as one column each).
std::string_view fitted(std::string_view line, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (seen++ == columns) return line.substr(0, i);
  }
  return line;
}

}  // namespace

// One execution followed while it runs: its progress tree, and what the plain display says
// as its states are entered and its sleeps start.
class LiveProgress::Watch final : public runtime::ExecutionObserver {
 public:
  Watch(LiveProgress& display, const durable::ExecutionRecord& record)
      : display_(display), machine_(record.machine), child_(!record.parent.empty()) {
    display_.add(*this);
  }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  ~Watch() override { display_.remove(*this); }

  void started(const runtime::BranchProgress& root) override { root_ = &root; }
  void finished() override { root_ = nullptr; }
  void entered(const runtime::BranchProgress& branch) override {
    if (display_.mode_ != ProgressMode::plain || inside_map(branch)) return;
    const definition::CompiledState& state = current_state(branch);
    append_entered_line(display_.pending_, display_.head(), prefix(), state.fields.name,
                        asl::to_string(state.fields.type));
    display_.write_when_full();
  }
  void sleeping(const runtime::BranchProgress& branch) override {
    if (display_.mode_ != ProgressMode::plain || inside_map(branch)) return;
    display_.queue(plain_line(display_.elapsed(),
                              state_row(running_state(branch), prefix(), std::chrono::system_clock::now(), {})));
  }

  /// tty: this execution's lines of the status.
  void describe(std::vector<std::string>& lines) {
    if (!root_) return;
    auto now = std::chrono::system_clock::now();
    lines.push_back(fmt::format("flowstate: {} running {}", machine_,
                                duration_text(std::chrono::steady_clock::now() - since_)));
    for (const RunningState& state : running_states(*root_))
      lines.push_back(std::string(2 + 2 * state.depth, ' ') + state_row(state, "", now, rate_of(state)));
    forget_unseen_maps();
  }

  /// plain: a line per running Map when `summary`; else only what its rate is measured from.
  void sample_maps(bool summary) {
    if (!root_) return;
    auto now = std::chrono::system_clock::now();
    for (const RunningState& state : running_states(*root_)) {
      if (!state.map) continue;
      auto rate = rate_of(state);
      if (summary) display_.queue(plain_line(display_.elapsed(), state_row(state, prefix(), now, rate)));
    }
    forget_unseen_maps();
  }

 private:
  std::string_view prefix() const { return child_ ? std::string_view(machine_) : std::string_view(); }

  // Children finished per second since the Map's attempt was first seen.
  std::optional<double> rate_of(const RunningState& state) {
    if (!state.map) return std::nullopt;
    auto now = std::chrono::steady_clock::now();
    std::size_t finished = state.map->done + state.map->failed;
    auto [sample, added] = samples_.try_emplace({state.branch, state.branch->started}, Sample{now, finished, true});
    sample->second.seen = true;
    std::chrono::duration<double> span = now - sample->second.time;
    if (added || span < kRateWindow) return std::nullopt;
    return static_cast<double>(finished - std::min(finished, sample->second.finished)) / span.count();
  }

  void forget_unseen_maps() {
    std::erase_if(samples_, [](const auto& entry) { return !entry.second.seen; });
    for (auto& [key, sample] : samples_) sample.seen = false;
  }

  struct Sample {
    std::chrono::steady_clock::time_point time;
    std::size_t finished = 0;
    bool seen = false;
  };

  LiveProgress& display_;
  std::string machine_;
  bool child_;
  std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
  const runtime::BranchProgress* root_ = nullptr;
  std::map<std::pair<const runtime::BranchProgress*, std::int64_t>, Sample> samples_;
};

LiveProgress::LiveProgress(boost::asio::any_io_executor executor, ProgressMode mode, int fd)
    : mode_(mode), fd_(fd), timer_(executor), next_summary_(start_ + kMapSummaryInterval) {}

LiveProgress::~LiveProgress() {
  std::string out;
  erase_status(out);
  out += pending_;
  pending_.clear();
  write(out);
}

void LiveProgress::print(std::string_view line) {
  std::string status = drawn_;
  std::size_t status_lines = drawn_lines_;
  std::string out;
  erase_status(out);
  out += pending_;
  pending_.clear();
  out += line;
  out += '\n';
  // The status drawn last comes back below the line; the next tick brings it up to date.
  out += status;
  drawn_ = std::move(status);
  drawn_lines_ = status_lines;
  write(out);
}

std::unique_ptr<runtime::ExecutionObserver> LiveProgress::observe(const durable::ExecutionRecord& record) {
  return std::make_unique<Watch>(*this, record);
}

void LiveProgress::add(Watch& watch) {
  watches_.push_back(&watch);
  if (ticking_) return;
  ticking_ = true;
  timer_.expires_after(kTick);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) tick();
  });
}

void LiveProgress::remove(Watch& watch) {
  std::erase(watches_, &watch);
  if (!watches_.empty()) return;
  // Nothing runs: the status goes, so what follows (the result) starts on a clean line.
  std::string out;
  erase_status(out);
  out += pending_;
  pending_.clear();
  write(out);
  ticking_ = false;
  timer_.cancel();
}

void LiveProgress::tick() {
  std::string out;
  if (mode_ == ProgressMode::tty) {
    erase_status(out);
    draw_status(out);
  } else {
    bool summary = std::chrono::steady_clock::now() >= next_summary_;
    if (summary) next_summary_ = std::chrono::steady_clock::now() + kMapSummaryInterval;
    for (Watch* watch : watches_) watch->sample_maps(summary);
    out = std::move(pending_);
    pending_.clear();
  }
  write(out);
  if (!ticking_) return;
  timer_.expires_after(kTick);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) tick();
  });
}

std::vector<std::string> LiveProgress::status_lines() {
  std::vector<std::string> lines;
  for (Watch* watch : watches_) watch->describe(lines);
  if (lines.size() > kMaxStatusLines) {
    std::size_t hidden = lines.size() - (kMaxStatusLines - 1);
    lines.resize(kMaxStatusLines - 1);
    lines.push_back(fmt::format("  ... and {} more", hidden));
  }
  return lines;
}

void LiveProgress::erase_status(std::string& out) {
  if (drawn_lines_ == 0) return;
  // Up to the status's first line, then clear to the end of the screen.
  out += fmt::format("\x1b[{}A\r\x1b[J", drawn_lines_);
  drawn_lines_ = 0;
  drawn_.clear();
}

void LiveProgress::draw_status(std::string& out) {
  std::size_t columns = terminal_columns(fd_) - 1;
  for (const std::string& line : status_lines()) {
    drawn_ += fitted(line, columns);
    drawn_ += '\n';
    ++drawn_lines_;
  }
  out += drawn_;
}

void LiveProgress::queue(std::string line) {
  pending_ += line;
  pending_ += '\n';
  write_when_full();
}

void LiveProgress::write_when_full() {
  if (pending_.size() < kPendingLimit) return;
  write(pending_);
  pending_.clear();
}

void LiveProgress::write(std::string_view text) {
  while (!text.empty()) {
    ssize_t written = ::write(fd_, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // stderr is gone: nothing to show progress on
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::chrono::duration<double> LiveProgress::elapsed() const { return std::chrono::steady_clock::now() - start_; }

const std::string& LiveProgress::head() {
  // The head shows tenths of a second: formatted again only when they change.
  auto tenths = std::chrono::duration_cast<std::chrono::duration<std::int64_t, std::deci>>(elapsed()).count();
  if (tenths != head_tenths_ || head_.empty()) {
    head_tenths_ = tenths;
    head_ = plain_head(elapsed());
  }
  return head_;
}

}  // namespace flowstate::cli
