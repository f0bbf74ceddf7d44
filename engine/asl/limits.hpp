// Limits fixed by the ASL specification and AWS's service quotas, as named constants.
#pragma once

#include <cstddef>
#include <cstdint>

namespace flowstate::asl {

/// State names: "MUST be less than or equal to 80 Unicode characters" (spec).
inline constexpr std::size_t kMaxStateNameLength = 80;
/// Input/output of a state, task or execution: 256 KiB of UTF-8 (service quotas).
inline constexpr std::size_t kMaxPayloadBytes = 262144;
/// Intrinsic functions nest at most 10 deep (intrinsic-functions.html).
inline constexpr int kMaxIntrinsicNesting = 10;
/// AWS's default task timeout (state-task.html): 99,999,999 seconds.
inline constexpr std::int64_t kDefaultTaskTimeoutSeconds = 99999999;
/// JSON nesting accepted for definitions and inputs. Boost.JSON's default (32) is too low for
/// real payloads; values nested far deeper crash on copy, so deeper input is refused at parse.
inline constexpr int kMaxJsonDepth = 512;

}  // namespace flowstate::asl

namespace flowstate::asl {

/// An inline Map with MaxConcurrency 0 runs "as many iterations as possible at once"; AWS
/// caps that at about 40 (state-map-inline.html), and so do we.
inline constexpr std::size_t kInlineMapConcurrencyCeiling = 40;

/// A Distributed Map with MaxConcurrency 0 runs up to 10,000 child executions at once
/// (state-map-distributed.html).
inline constexpr std::size_t kDistributedMapConcurrencyCeiling = 10000;

}  // namespace flowstate::asl
