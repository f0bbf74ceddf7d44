#include "states/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "engine/asl/error_name.hpp"
#include "states/error_equals.hpp"

namespace flowstate::states {

double RetryPolicy::backoff_seconds(const Retrier& retrier, std::int64_t attempt) {
  double delay = retrier.interval_seconds *
                 std::pow(retrier.backoff_rate, static_cast<double>(attempt - 1));
  if (retrier.max_delay_seconds) delay = std::min(delay, *retrier.max_delay_seconds);
  return delay;
}

std::optional<RetryPolicy::Decision> RetryPolicy::next_delay(
    std::string_view error, std::span<const std::int64_t> attempts, data::JitterRandom& rng) const {
  for (std::size_t i = 0; i < retriers.size(); ++i) {
    const Retrier& retrier = retriers[i];
    if (!asl::error_name::matches_any(retrier.error_equals, error)) continue;
    std::int64_t done = i < attempts.size() ? attempts[i] : 0;
    if (done >= retrier.max_attempts) return std::nullopt;
    double delay = backoff_seconds(retrier, done + 1);
    if (retrier.jitter == JitterStrategy::full)
      delay = std::uniform_real_distribution<double>(0.0, delay)(rng);
    return Decision{i, delay};
  }
  return std::nullopt;
}

RetryPolicy compile_retry_policy(definition::FieldReader& state) {
  RetryPolicy policy;
  const boost::json::value* list = state.field("Retry");
  if (!list) return policy;
  if (!list->is_array()) {
    state.error_at(*list, fmt::format("'Retry' must be an array of retriers, not {}",
                                      definition::describe_kind(*list)));
    return policy;
  }
  const auto& array = list->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    definition::FieldReader reader(array[i], fmt::format("Retry[{}] of {}", i, state.owner()),
                                   state);
    if (!reader.is_object()) continue;
    Retrier retrier;
    if (auto errors = read_error_equals(reader, i + 1 == array.size(), "Retry"))
      retrier.error_equals = std::move(*errors);
    if (auto v = reader.integer("IntervalSeconds", 1, 99999999)) retrier.interval_seconds = double(*v);
    if (auto v = reader.integer("MaxAttempts", 0, 99999999)) retrier.max_attempts = *v;
    if (auto v = reader.number("BackoffRate", 1.0, 1e9)) retrier.backoff_rate = *v;
    if (auto v = reader.integer("MaxDelaySeconds", 1, 31622400)) retrier.max_delay_seconds = double(*v);
    if (auto jitter = reader.string("JitterStrategy")) {
      if (*jitter == "FULL") retrier.jitter = JitterStrategy::full;
      else if (*jitter == "NONE") retrier.jitter = JitterStrategy::none;
      else reader.error_at(*reader.field("JitterStrategy"), fmt::format(
               "'JitterStrategy' must be \"FULL\" or \"NONE\", not \"{}\"", *jitter));
    }
    reader.allow({"Comment"});
    reader.report_unknown_fields();
    policy.retriers.push_back(std::move(retrier));
  }
  return policy;
}

}  // namespace flowstate::states
