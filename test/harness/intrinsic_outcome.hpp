// What an intrinsic function call (`States.Format(...)`, ...) gives for an input, as text, for
// the intrinsic tests to compare with AWS's recorded results.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "engine/data/intrinsic_call.hpp"
#include "engine/data/json_codec.hpp"

namespace flowstate::test::intrinsics {

struct Outcome {
  std::string output;  ///< compact JSON of the result, empty on failure
  std::string error;   ///< error name on failure ("load": the call does not compile; "input":
                       ///< the test's input is not JSON)
  std::string cause;   ///< cause on failure, or the load-time message
};

/// Compiles `text` and evaluates it with `input` (JSON text) as "$".
inline Outcome run(std::string_view text, std::string_view input = "{}") {
  auto call = data::IntrinsicCall::compile(text);
  if (!call) return {"", "load", call.error()};
  auto document = data::parse_json(input);
  if (!document) return {"", "input", "the test's input is not JSON"};
  auto result = call->evaluate({*document});
  if (!result) return {"", result.error().error.value_or(""), result.error().cause.value_or("")};
  return {data::serialize_json(*result), "", ""};
}

}  // namespace flowstate::test::intrinsics
