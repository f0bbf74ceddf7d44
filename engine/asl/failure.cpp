#include "engine/asl/failure.hpp"

#include <stdexcept>

#include <boost/json/object.hpp>
#include <fmt/format.h>

namespace flowstate::asl {

boost::json::value Failure::to_error_output() const {
  boost::json::object out;
  out["Error"] = error ? boost::json::value(*error) : boost::json::value(nullptr);
  out["Cause"] = cause ? boost::json::value(*cause) : boost::json::value(nullptr);
  return out;
}

Failure make_failure(std::string error, std::string cause) {
  return Failure{std::move(error), std::move(cause)};
}

void throw_exception_from_error(const Failure& failure, const boost::source_location& location) {
  throw std::logic_error(fmt::format("internal error: unchecked ASL failure {} ({}) used at {}:{}",
                                     failure.error.value_or("<none>"), failure.cause.value_or(""),
                                     location.file_name(), location.line()));
}

}  // namespace flowstate::asl
