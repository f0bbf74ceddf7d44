// The differences between an expected and an actual JSON value, as a test report shows
// them: one line per differing place, named by its JSONPath ("$.items[2].id: expected 3,
// got 4"; "$.extra: not expected"; "$.name: missing").
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace flowstate::cli {

/// Empty when the values are equal (numbers compare by value: 1 equals 1.0).
std::vector<std::string> json_differences(const boost::json::value& expected, const boost::json::value& actual,
                                          std::size_t limit = 20);

}  // namespace flowstate::cli
