// Wait state: delays for Seconds / SecondsPath or until Timestamp / TimestampPath.
// until() is pure arithmetic; the runtime owns the timer (and --skip-waits).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <variant>

#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/json_path.hpp"
#include "engine/data/path_scope.hpp"
#include "engine/data/timestamp.hpp"
#include "engine/definition/field_reader.hpp"
#include "states/jsonata_template.hpp"
#include "states/query_language.hpp"

namespace flowstate::states {

struct WaitState {
  struct Seconds {
    std::int64_t seconds;
  };
  struct SecondsPath {
    data::JsonPath path;
  };
  struct Timestamp {
    data::Timestamp timestamp;
  };
  struct TimestampPath {
    data::JsonPath path;
  };
  /// JSONata: Seconds or Timestamp written as an expression.
  struct SecondsExpression {
    JsonataTemplate expression;
  };
  struct TimestampExpression {
    JsonataTemplate expression;
  };
  std::variant<Seconds, SecondsPath, Timestamp, TimestampPath, SecondsExpression, TimestampExpression>
      delay = Seconds{0};

  /// When the wait ends for an effective input, given the time the state was entered
  /// (`jsonata`: what the expressions read). Bad path values are States.Runtime, bad
  /// expression values States.QueryEvaluationError, with AWS's cause texts (detail only).
  boost::system::result<std::chrono::system_clock::time_point, asl::Failure> until(
      const data::PathScope& scope, std::chrono::system_clock::time_point entered,
      const JsonataScope* jsonata = nullptr) const;
};

std::optional<WaitState> compile_wait_state(definition::FieldReader& reader,
                                           QueryLanguage language);

}  // namespace flowstate::states
