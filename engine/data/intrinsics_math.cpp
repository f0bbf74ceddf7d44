// Math intrinsics: States.MathRandom and States.MathAdd, plus the number argument readers.
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kMathRandom = "States.MathRandom";
constexpr std::string_view kMathAdd = "States.MathAdd";

// States.MathAdd: "values between -2147483648 and 2147483647" (intrinsic-functions.html).
constexpr std::int64_t kMinInt = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();

}  // namespace

boost::system::result<double, asl::Failure> number_argument(std::string_view function,
                                                            std::string_view what,
                                                            const json::value& value) {
  switch (value.kind()) {
    case json::kind::int64:
      return static_cast<double>(value.get_int64());
    case json::kind::uint64:
      return static_cast<double>(value.get_uint64());
    case json::kind::double_:
      return value.get_double();
    default:
      return invalid_argument(function, fmt::format("{} must be a number, but was {}", what,
                                                    describe_value(value)));
  }
}

boost::system::result<std::int64_t, asl::Failure> rounded_argument(std::string_view function,
                                                                   std::string_view what,
                                                                   const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  auto number = number_argument(function, what, value);
  if (!number) return number.error();
  // Java's Math.round: the nearest integer, halves toward positive infinity.
  double rounded = std::floor(*number + 0.5);
  constexpr double kLimit = 9.2e18;  // inside int64, with room for the arithmetic that follows
  if (!(rounded > -kLimit && rounded < kLimit)) {
    return invalid_argument(function, fmt::format("{} is out of range: {}", what,
                                                  describe_value(value)));
  }
  return static_cast<std::int64_t>(rounded);
}

// "Returns a random number between the specified start number (inclusive) and end number
// (exclusive)"; non-integers are rounded; a seed makes the result repeatable
// (intrinsic-functions.html). The engine is local to the call: no hidden global RNG.
Result math_random(std::span<json::value> args) {
  auto start = rounded_argument(kMathRandom, "the start (first argument)", args[0]);
  if (!start) return start.error();
  auto end = rounded_argument(kMathRandom, "the end (second argument)", args[1]);
  if (!end) return end.error();
  if (*end <= *start) {
    return invalid_argument(kMathRandom, fmt::format("the end ({}) must be greater than the "
                                                     "start ({})",
                                                     *end, *start));
  }
  std::mt19937_64 engine;
  if (args.size() == 3) {
    auto seed = rounded_argument(kMathRandom, "the seed (third argument)", args[2]);
    if (!seed) return seed.error();
    engine.seed(static_cast<std::uint64_t>(*seed));
  } else {
    std::random_device device;
    engine.seed((static_cast<std::uint64_t>(device()) << 32) | device());
  }
  // Our own mapping rather than std::uniform_int_distribution, whose algorithm the standard
  // leaves to the library: a seed must give the same number on every build.
  auto span = static_cast<std::uint64_t>(*end - *start);
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                        std::numeric_limits<std::uint64_t>::max() % span;
  std::uint64_t draw = engine();
  while (draw >= limit) draw = engine();
  return json::value(*start + static_cast<std::int64_t>(draw % span));
}

// AWS rounds non-integers with Math.round before adding (recorded: math_add-01..20, e.g.
// MathAdd(1.49, 1.5) = 3, MathAdd(-1.5, -1.51) = -3, MathAdd(-0.5, 0) = 0).
Result math_add(std::span<json::value> args) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view what = i == 0 ? "the first argument" : "the second argument";
    auto operand = rounded_argument(kMathAdd, what, args[i]);
    if (!operand) return operand.error();
    if (*operand < kMinInt || *operand > kMaxInt) {
      return invalid_argument(kMathAdd, fmt::format("{} must be between {} and {}, but was {}",
                                                    what, kMinInt, kMaxInt, *operand));
    }
    sum += *operand;
  }
  return json::value(sum);
}

}  // namespace flowstate::data::intrinsics
