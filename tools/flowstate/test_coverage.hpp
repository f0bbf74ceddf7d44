// TestCoverage: the CoverageRecorder of `flowstate test --coverage` and its report — for each
// definition the cases ran, every state, Choice rule, Default, Catcher and Retrier with the
// line it is written on, and whether a case reached it.
#pragma once

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/definition/plan.hpp"
#include "engine/definition/source_location.hpp"
#include "engine/durable/definition_source.hpp"
#include "engine/runtime/coverage.hpp"

namespace flowstate::cli {

struct CoverageItem {
  definition::SourceLocation where;
  std::string what;  ///< "state Check", "Choices[1] of Check", "Retry[0] of Call", ...
  bool covered = false;
};

struct DefinitionCoverage {
  std::string file;
  std::vector<CoverageItem> items;
  std::size_t covered() const;
};

class TestCoverage final : public runtime::CoverageRecorder {
 public:
  void reached(const definition::CompiledState& state, runtime::CoveragePoint point, std::size_t index) override {
    hits_.emplace(&state, point, index);
  }

  /// Every item of `plan` (compiled from `source`), marked with what was reached in it.
  DefinitionCoverage report(const definition::Plan& plan, const durable::DefinitionSource& source) const;

 private:
  std::set<std::tuple<const definition::CompiledState*, runtime::CoveragePoint, std::size_t>> hits_;
};

/// "+ line:col  what" / "- line:col  what" per item and a total per definition; returns the
/// percentage of all items covered (100 when there are none).
double print_coverage(std::ostream& out, const std::vector<DefinitionCoverage>& definitions);

}  // namespace flowstate::cli
