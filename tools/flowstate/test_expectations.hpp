// Checking one finished `flowstate test` case: its execution's record and history against
// what the case expects. Each failed expectation is one message, with expected and actual.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/durable/execution_record.hpp"
#include "tools/flowstate/test_file.hpp"

namespace flowstate::cli {

/// What went wrong, one message per expectation (multi-line for a JSON difference); empty
/// when the case passed. `history`: the events as GetExecutionHistory shows them.
std::vector<std::string> check_expectations(const TestCase& test, const durable::ExecutionRecord& record,
                                            const std::vector<boost::json::value>& history);

/// The names of the states entered, in order, from a history.
std::vector<std::string> states_entered(const std::vector<boost::json::value>& history);

}  // namespace flowstate::cli
