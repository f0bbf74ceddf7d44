// The AWS JSON 1.0 protocol as Step Functions speaks it: the action named by the
// X-Amz-Target header, a JSON object body with camelCase members, dates as epoch seconds,
// and errors as HTTP 400 {"__type": CODE, "message": TEXT} (also in x-amzn-ErrorType).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace flowstate::server {

inline constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";
inline constexpr std::string_view kContentType = "application/x-amz-json-1.0";
/// The largest request body the server reads (AWS's limit for a request).
inline constexpr std::size_t kMaxRequestBytes = 1024 * 1024;

/// An error the API answers with: AWS's error code ("ExecutionDoesNotExist", ...) and message.
class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, const std::string& message, unsigned status = 400)
      : std::runtime_error(message), code_(std::move(code)), status_(status) {}
  const std::string& code() const { return code_; }
  unsigned status() const { return status_; }
  /// A ValidationException's `reason` member ("CANNOT_UPDATE_COMPLETED_MAP_RUN", ...); "" when none.
  const std::string& reason() const { return reason_; }
  ApiError& with_reason(std::string reason) {
    reason_ = std::move(reason);
    return *this;
  }

 private:
  std::string code_;
  unsigned status_;
  std::string reason_;
};

/// What goes back on the wire: an HTTP status and a JSON body; `error_type` is the
/// x-amzn-ErrorType header's value ("" on success).
struct ApiAnswer {
  unsigned status = 200;
  std::string body;
  std::string error_type;
};

ApiAnswer error_answer(const ApiError& error);
ApiAnswer success_answer(const boost::json::object& body);

/// The action an X-Amz-Target value names ("AWSStepFunctions.StartExecution" → "StartExecution");
/// throws ApiError UnknownOperationException.
std::string action_of_target(std::string_view target);

/// The request body as a JSON object ("" reads as {}); throws ApiError SerializationException.
boost::json::object parse_request_body(std::string_view body);

/// Request members; a missing required one, or one of the wrong JSON type, throws ApiError
/// ValidationException.
std::string required_string(const boost::json::object& request, std::string_view member);
std::optional<std::string> optional_string(const boost::json::object& request, std::string_view member);
/// The same, also refusing a string longer than `max_length` (ValidationException).
std::optional<std::string> optional_string(const boost::json::object& request, std::string_view member,
                                           std::size_t max_length);
std::optional<bool> optional_bool(const boost::json::object& request, std::string_view member);
std::optional<std::int64_t> optional_integer(const boost::json::object& request, std::string_view member);
std::optional<double> optional_number(const boost::json::object& request, std::string_view member);

/// A date as the API writes it: seconds since the epoch, with milliseconds as the fraction.
double epoch_seconds(std::chrono::system_clock::time_point time);

}  // namespace flowstate::server
