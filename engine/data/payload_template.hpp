// PayloadTemplate: a compiled Parameters / ResultSelector / ItemSelector / Assign object.
// Keys ending in ".$" take their value from a path ($..., $$..., $var...) or an intrinsic
// call; everything else is copied as written. Compiled once at load.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "engine/asl/failure.hpp"
#include "engine/data/path_scope.hpp"

namespace flowstate::data {

class PayloadTemplate {
 public:
  /// Receives each load-time problem with the node it concerns.
  using ErrorSink = std::function<void(const boost::json::value& node, std::string message)>;

  /// Compiles `payload` (normally an object; any JSON value is accepted for Pass Result-like
  /// uses). Returns nullopt after reporting through `on_error`.
  static std::optional<PayloadTemplate> compile(const boost::json::value& payload,
                                                const ErrorSink& on_error);

  PayloadTemplate(PayloadTemplate&&) noexcept;
  PayloadTemplate& operator=(PayloadTemplate&&) noexcept;
  ~PayloadTemplate();

  /// Builds the payload. A path that matches nothing is States.Runtime with AWS's cause
  /// "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '...'".
  boost::system::result<boost::json::value, asl::Failure> evaluate(const PathScope& scope) const;

  /// Whether any path or intrinsic argument reads the context object ("$$").
  bool reads_context() const { return reads_context_; }

  struct Node;  // defined in payload_template.cpp

 private:
  PayloadTemplate();
  std::unique_ptr<Node> root_;
  bool reads_context_ = false;
};

}  // namespace flowstate::data
