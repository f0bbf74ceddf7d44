// The error names the ASL specification reserves (States.*) and the one place where an error
// is matched against an ErrorEquals list (Retry and Catch).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace flowstate::asl::error_name {

inline constexpr std::string_view kAll = "States.ALL";
inline constexpr std::string_view kTimeout = "States.Timeout";
inline constexpr std::string_view kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr std::string_view kTaskFailed = "States.TaskFailed";
inline constexpr std::string_view kPermissions = "States.Permissions";
inline constexpr std::string_view kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr std::string_view kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr std::string_view kBranchFailed = "States.BranchFailed";
inline constexpr std::string_view kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr std::string_view kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr std::string_view kExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr std::string_view kItemReaderFailed = "States.ItemReaderFailed";
inline constexpr std::string_view kResultWriterFailed = "States.ResultWriterFailed";
inline constexpr std::string_view kQueryEvaluationError = "States.QueryEvaluationError";
inline constexpr std::string_view kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr std::string_view kRuntime = "States.Runtime";

/// Whether `error` is matched by one entry of an ErrorEquals list.
/// - "States.ALL" matches every error except States.Runtime (AWS: "States.Runtime ... cannot be
///   retried or caught", concepts-error-handling), and except States.DataLimitExceeded raised
///   outside a task result (handled by the caller, which never raises it catchably there).
/// - "States.TaskFailed" matches every error except States.Timeout and States.Runtime.
/// - any other entry matches by exact, case-sensitive name; States.Runtime never matches.
bool matches(std::string_view pattern, std::string_view error);

/// Whether any entry of `error_equals` matches `error`.
bool matches_any(std::span<const std::string> error_equals, std::string_view error);

}  // namespace flowstate::asl::error_name
