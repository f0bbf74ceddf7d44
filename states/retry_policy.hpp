// RetryPolicy: a state's compiled Retry list and AWS's back-off arithmetic
// (IntervalSeconds × BackoffRate^(n−1), capped by MaxDelaySeconds, then FULL jitter).
// Pure: no timers, no clocks; the runtime applies the delays.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/data/jitter_random.hpp"
#include "engine/definition/field_reader.hpp"

namespace flowstate::states {

enum class JitterStrategy { none, full };

struct Retrier {
  std::vector<std::string> error_equals;
  double interval_seconds = 1;
  std::int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<double> max_delay_seconds;
  JitterStrategy jitter = JitterStrategy::none;
};

class RetryPolicy {
 public:
  struct Decision {
    std::size_t retrier;  ///< index of the retrier that applies
    double delay_seconds;
  };

  std::vector<Retrier> retriers;

  bool empty() const { return retriers.empty(); }

  /// The first retrier whose ErrorEquals matches `error` decides (spec: later matching
  /// retriers are not consulted when it is exhausted). `attempts[i]` is how many retries
  /// retrier i has already made in this visit of the state. nullopt: no retry.
  std::optional<Decision> next_delay(std::string_view error, std::span<const std::int64_t> attempts,
                                     data::JitterRandom& rng) const;

  /// The delay before retry number `attempt` (1-based) by `retrier`, before jitter.
  static double backoff_seconds(const Retrier& retrier, std::int64_t attempt);
};

/// Compiles a "Retry" array; diagnostics for every malformed retrier and for States.ALL not
/// alone or not in the last retrier.
RetryPolicy compile_retry_policy(definition::FieldReader& state);

}  // namespace flowstate::states
