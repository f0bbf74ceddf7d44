// The single dispatch table of ASL intrinsic functions (States.Format, States.Array, ...): each
// name with its arity and the function that computes it from already-evaluated arguments.
// IntrinsicCall (intrinsic_call.cpp) parses calls and evaluates arguments; the functions live
// in intrinsics_*.cpp, grouped as AWS's documentation groups them (intrinsic-functions.html).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"

namespace flowstate::data::intrinsics {

/// The result of one intrinsic: a JSON value or a States.Runtime Failure.
using Result = boost::system::result<boost::json::value, asl::Failure>;

/// An intrinsic takes its evaluated arguments by mutable span so it may move out of them.
using Function = Result (*)(std::span<boost::json::value> args);

enum class IntrinsicId {
  format,
  string_to_json,
  json_to_string,
  array,
  array_partition,
  array_contains,
  array_range,
  array_get_item,
  array_length,
  array_unique,
  base64_encode,
  base64_decode,
  hash,
  json_merge,
  math_random,
  math_add,
  string_split,
  uuid,
};

/// Argument counts a function accepts; max_args == kVariadic means "no upper bound".
inline constexpr std::size_t kVariadic = static_cast<std::size_t>(-1);

struct Intrinsic {
  std::string_view name;  ///< e.g. "States.ArrayPartition"
  IntrinsicId id;
  std::size_t min_args;
  std::size_t max_args;
  Function function;
};

/// The table entry for `name` (case-sensitive, as AWS matches it), or nullptr.
const Intrinsic* find_intrinsic(std::string_view name);

/// "takes 2 arguments" / "takes 2 or 3 arguments" / "takes at least 1 argument".
std::string describe_arity(const Intrinsic& intrinsic);

/// Every intrinsic failure is States.Runtime, whose cause is "Invalid arguments in <name>:
/// <detail>".
///
/// Decision and evidence: the spec names States.IntrinsicFailure, but AWS's own developer
/// guide says an open escape backslash makes "the interpreter ... throw a runtime error"
/// (amazon-states-language-intrinsic-functions.md, "Reserved characters"), AWS-recorded
/// executions report every payload evaluation problem (missing `.$` paths included) as
/// States.Runtime (conformance corpus, e.g. core/.../expected.json causes "The JSONPath ...
/// specified for the field 'value.$' could not be found"), and States.IntrinsicFailure is
/// absent from AWS's error-handling guide's list of errors it raises. asl-reference.md §3 and
/// sharp edge 20 reach the same conclusion. The cause wording itself is ours (no AWS recording
/// of a failing intrinsic exists in the corpus).
asl::Failure invalid_argument(std::string_view function, std::string detail);

/// A States.Format template split at its "{}" placeholders: placeholders() == pieces.size()-1.
struct FormatTemplate {
  std::vector<std::string> pieces;
  std::size_t placeholders() const { return pieces.size() - 1; }
};

/// A template written as a string literal, from its raw text between the quotes: "\{" and
/// "\}" are literal braces, never placeholders; "\'" and "\\" are a quote and a backslash.
FormatTemplate parse_format_literal(std::string_view raw);
/// A template read from a path: every "{}" is a placeholder, nothing is an escape.
FormatTemplate parse_format_value(std::string_view text);
/// Fills a template; values.size() must equal the template's placeholder count.
Result render_format(const FormatTemplate& format, std::span<const boost::json::value> values);

// intrinsics_string.cpp
Result format(std::span<boost::json::value> args);
Result string_split(std::span<boost::json::value> args);
// intrinsics_json.cpp
Result string_to_json(std::span<boost::json::value> args);
Result json_to_string(std::span<boost::json::value> args);
Result json_merge(std::span<boost::json::value> args);
// intrinsics_array.cpp
Result array(std::span<boost::json::value> args);
Result array_partition(std::span<boost::json::value> args);
Result array_contains(std::span<boost::json::value> args);
Result array_range(std::span<boost::json::value> args);
Result array_get_item(std::span<boost::json::value> args);
Result array_length(std::span<boost::json::value> args);
Result array_unique(std::span<boost::json::value> args);
// intrinsics_encoding.cpp
Result base64_encode(std::span<boost::json::value> args);
Result base64_decode(std::span<boost::json::value> args);
// intrinsics_hash.cpp
Result hash(std::span<boost::json::value> args);
// intrinsics_math.cpp
Result math_random(std::span<boost::json::value> args);
Result math_add(std::span<boost::json::value> args);
// intrinsics_uuid.cpp
Result uuid(std::span<boost::json::value> args);

/// The table itself: one row per function, in AWS's documentation order.
inline constexpr Intrinsic kIntrinsics[] = {
    {"States.Format", IntrinsicId::format, 1, kVariadic, &format},
    {"States.StringToJson", IntrinsicId::string_to_json, 1, 1, &string_to_json},
    {"States.JsonToString", IntrinsicId::json_to_string, 1, 1, &json_to_string},
    {"States.Array", IntrinsicId::array, 0, kVariadic, &array},
    {"States.ArrayPartition", IntrinsicId::array_partition, 2, 2, &array_partition},
    {"States.ArrayContains", IntrinsicId::array_contains, 2, 2, &array_contains},
    {"States.ArrayRange", IntrinsicId::array_range, 3, 3, &array_range},
    {"States.ArrayGetItem", IntrinsicId::array_get_item, 2, 2, &array_get_item},
    {"States.ArrayLength", IntrinsicId::array_length, 1, 1, &array_length},
    {"States.ArrayUnique", IntrinsicId::array_unique, 1, 1, &array_unique},
    {"States.Base64Encode", IntrinsicId::base64_encode, 1, 1, &base64_encode},
    {"States.Base64Decode", IntrinsicId::base64_decode, 1, 1, &base64_decode},
    {"States.Hash", IntrinsicId::hash, 2, 2, &hash},
    {"States.JsonMerge", IntrinsicId::json_merge, 3, 3, &json_merge},
    {"States.MathRandom", IntrinsicId::math_random, 2, 3, &math_random},
    {"States.MathAdd", IntrinsicId::math_add, 2, 2, &math_add},
    {"States.StringSplit", IntrinsicId::string_split, 2, 2, &string_split},
    {"States.UUID", IntrinsicId::uuid, 0, 0, &uuid},
};

// Shared argument readers, defined in intrinsics_math.cpp (numbers) and intrinsics_string.cpp
// (text). Each fails with invalid_argument when the argument has the wrong type; `what`
// names the argument in the cause, e.g. "the index".

/// A JSON number (int64, uint64 or double) as a double.
boost::system::result<double, asl::Failure> number_argument(std::string_view function,
                                                            std::string_view what,
                                                            const boost::json::value& value);
/// A number rounded to the nearest integer, halves toward positive infinity (Java's
/// Math.round): AWS recorded MathAdd(-2.5, 0) = -2 and MathAdd(2.5, 0) = 3.
boost::system::result<std::int64_t, asl::Failure> rounded_argument(
    std::string_view function, std::string_view what, const boost::json::value& value);
/// A string argument's text.
boost::system::result<std::string_view, asl::Failure> string_argument(
    std::string_view function, std::string_view what, const boost::json::value& value);
/// The length of UTF-8 text in UTF-16 code units: what AWS (Java) counts as "characters"
/// in its 10,000-character limits. Defined in intrinsics_encoding.cpp.
std::size_t utf16_length(std::string_view text);
/// A short JSON rendering of a value for error causes (truncated when long).
std::string describe_value(const boost::json::value& value);

}  // namespace flowstate::data::intrinsics
