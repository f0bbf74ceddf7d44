// LiveProgress: what `run`, `resume` and `redrive` show on stderr while executions run. On a
// terminal, a status redrawn in place at most 10 times a second: each running execution with
// its elapsed time and the states it is in — Tasks, Maps with done/failed/running/total, rate
// and ETA, Waits and retries with the time left. Elsewhere, a line per state entered (not
// those inside Map iterations) and a line per running Map every few seconds. Task log lines
// and messages go through it, so they appear above the status.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/durable/execution_record.hpp"
#include "engine/runtime/execution_observer.hpp"
#include "tools/flowstate/progress_option.hpp"

namespace flowstate::cli {

class LiveProgress {
 public:
  /// `mode` is tty or plain; the display writes to file descriptor `fd`.
  LiveProgress(boost::asio::any_io_executor executor, ProgressMode mode, int fd);
  LiveProgress(const LiveProgress&) = delete;
  LiveProgress& operator=(const LiveProgress&) = delete;
  ~LiveProgress();

  /// Prints `line` (a task's log line, a message; without its newline) above the status.
  void print(std::string_view line);
  /// Follows one execution while it runs (durable::HostOptions::observe).
  std::unique_ptr<runtime::ExecutionObserver> observe(const durable::ExecutionRecord& record);

 private:
  class Watch;

  void add(Watch& watch);
  void remove(Watch& watch);
  void tick();
  /// tty: the status as it would be drawn now, one string per line.
  std::vector<std::string> status_lines();
  /// tty: erases the status drawn last, into `out`.
  void erase_status(std::string& out);
  void draw_status(std::string& out);
  /// plain: a line that may wait for the next tick (or a fuller buffer) to be written.
  void queue(std::string line);
  /// plain: writes the pending lines once they fill a buffer.
  void write_when_full();
  void write(std::string_view text);
  std::chrono::duration<double> elapsed() const;
  /// plain_head(elapsed()), kept while the tenth of a second it shows lasts.
  const std::string& head();

  ProgressMode mode_;
  int fd_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::vector<Watch*> watches_;
  std::size_t drawn_lines_ = 0;  ///< tty: how many lines of status are on the screen
  std::string drawn_;            ///< tty: those lines
  std::string pending_;          ///< plain: lines not written yet
  std::chrono::steady_clock::time_point next_summary_;
  std::string head_;
  std::int64_t head_tenths_ = 0;
};

}  // namespace flowstate::cli
