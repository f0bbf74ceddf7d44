// PathScope: the documents a JSONPath, payload template or intrinsic call may read: the
// input ("$"), the context object ("$$") and the workflow variables ("$name").
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace flowstate::data {

struct PathScope {
  const boost::json::value& input;
  const boost::json::value* context = nullptr;      ///< "$$"; absent reads as {}
  const boost::json::object* variables = nullptr;  ///< "$name"; absent reads as none
};

}  // namespace flowstate::data
