// Tests of RetryPolicy's pure arithmetic: AWS's back-off formula, MaxDelaySeconds, FULL
// jitter bounds with a seeded generator, MaxAttempts, and which retrier decides.
#include "states/retry_policy.hpp"

#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

namespace flowstate::states {
namespace {

Retrier retrier(std::vector<std::string> errors, double interval, double rate,
                std::int64_t max_attempts, std::optional<double> max_delay = std::nullopt,
                JitterStrategy jitter = JitterStrategy::none) {
  Retrier r;
  r.error_equals = std::move(errors);
  r.interval_seconds = interval;
  r.backoff_rate = rate;
  r.max_attempts = max_attempts;
  r.max_delay_seconds = max_delay;
  r.jitter = jitter;
  return r;
}

/// The delays one retrier asks for until it gives up on `error`.
std::vector<double> delays(const RetryPolicy& policy, std::string_view error, std::uint64_t seed = 1) {
  data::JitterRandom rng(seed);
  std::vector<std::int64_t> attempts(policy.retriers.size(), 0);
  std::vector<double> out;
  while (auto decision = policy.next_delay(error, attempts, rng)) {
    out.push_back(decision->delay_seconds);
    ++attempts[decision->retrier];
    REQUIRE(out.size() < 100);
  }
  return out;
}

TEST_CASE("RetryPolicy: IntervalSeconds grows by BackoffRate per attempt", "[states][retry]") {
  RetryPolicy policy{{retrier({"E"}, 3, 2.0, 3)}};
  CHECK(delays(policy, "E") == std::vector<double>{3, 6, 12});
  CHECK(RetryPolicy::backoff_seconds(policy.retriers[0], 1) == 3);
  CHECK(RetryPolicy::backoff_seconds(policy.retriers[0], 4) == 24);
}

TEST_CASE("RetryPolicy: MaxDelaySeconds caps the backed-off interval", "[states][retry]") {
  RetryPolicy policy{{retrier({"E"}, 3, 2.0, 3, 5.0)}};
  CHECK(delays(policy, "E") == std::vector<double>{3, 5, 5});
}

TEST_CASE("RetryPolicy: a BackoffRate of 1 keeps the interval, fractions are kept",
          "[states][retry]") {
  CHECK(delays(RetryPolicy{{retrier({"E"}, 2, 1.0, 3)}}, "E") == std::vector<double>{2, 2, 2});
  CHECK(delays(RetryPolicy{{retrier({"E"}, 1, 1.5, 3)}}, "E") ==
        std::vector<double>{1, 1.5, 2.25});
}

TEST_CASE("RetryPolicy: the defaults are 1 s, rate 2.0, three attempts", "[states][retry]") {
  Retrier defaults;
  defaults.error_equals = {"States.ALL"};
  CHECK(delays(RetryPolicy{{defaults}}, "Anything") == std::vector<double>{1, 2, 4});
}

TEST_CASE("RetryPolicy: FULL jitter draws uniformly below the capped delay", "[states][retry]") {
  RetryPolicy policy{{retrier({"E"}, 2, 2.0, 3, std::nullopt, JitterStrategy::full)}};
  std::uint64_t seed = GENERATE(range<std::uint64_t>(1, 50));
  auto drawn = delays(policy, "E", seed);
  REQUIRE(drawn.size() == 3);
  const double bounds[] = {2, 4, 8};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(drawn[i] >= 0.0);
    CHECK(drawn[i] < bounds[i]);
  }
  CHECK(delays(policy, "E", seed) == drawn);
}

TEST_CASE("RetryPolicy: FULL jitter applies after MaxDelaySeconds", "[states][retry]") {
  RetryPolicy policy{{retrier({"E"}, 4, 3.0, 5, 5.0, JitterStrategy::full)}};
  for (std::uint64_t seed = 1; seed < 30; ++seed)
    for (double delay : delays(policy, "E", seed)) CHECK(delay <= 5.0);
}

TEST_CASE("RetryPolicy: MaxAttempts 0 never retries and hides later retriers",
          "[states][retry]") {
  RetryPolicy policy{{retrier({"E"}, 1, 2.0, 0), retrier({"States.ALL"}, 1, 2.0, 3)}};
  CHECK(delays(policy, "E").empty());
  CHECK(delays(policy, "Other") == std::vector<double>{1, 2, 4});
}

TEST_CASE("RetryPolicy: the first matching retrier decides, with its own counter",
          "[states][retry]") {
  RetryPolicy policy{{retrier({"A"}, 1, 2.0, 2), retrier({"B", "A"}, 10, 2.0, 5),
                      retrier({"States.ALL"}, 100, 1.0, 1)}};
  data::JitterRandom rng(1);
  std::vector<std::int64_t> attempts{0, 0, 0};
  auto a1 = policy.next_delay("A", attempts, rng);
  REQUIRE(a1);
  CHECK(a1->retrier == 0);
  CHECK(a1->delay_seconds == 1);
  attempts[0] = 1;
  auto b1 = policy.next_delay("B", attempts, rng);
  REQUIRE(b1);
  CHECK(b1->retrier == 1);
  CHECK(b1->delay_seconds == 10);
  attempts[1] = 1;
  auto a2 = policy.next_delay("A", attempts, rng);
  REQUIRE(a2);
  CHECK(a2->retrier == 0);
  CHECK(a2->delay_seconds == 2);
  attempts[0] = 2;
  CHECK_FALSE(policy.next_delay("A", attempts, rng));  // exhausted: B's retrier is not asked
  auto c = policy.next_delay("C", attempts, rng);
  REQUIRE(c);
  CHECK(c->retrier == 2);
}

TEST_CASE("RetryPolicy: States.ALL and States.TaskFailed follow AWS's exceptions",
          "[states][retry]") {
  auto [pattern, error, retried] = GENERATE(table<std::string, std::string, bool>({
      {"States.ALL", "Custom", true},
      {"States.ALL", "States.Timeout", true},
      {"States.ALL", "States.Runtime", false},
      {"States.TaskFailed", "Custom", true},
      {"States.TaskFailed", "States.Timeout", false},
      {"States.TaskFailed", "States.Runtime", false},
      {"States.Runtime", "States.Runtime", false},
      {"States.Timeout", "States.Timeout", true},
      {"custom", "Custom", false},
  }));
  CAPTURE(pattern, error);
  RetryPolicy policy{{retrier({pattern}, 1, 2.0, 1)}};
  CHECK(delays(policy, error).size() == (retried ? 1u : 0u));
}

}  // namespace
}  // namespace flowstate::states
