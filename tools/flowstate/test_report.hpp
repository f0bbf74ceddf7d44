// What `flowstate test` found, per test file and case, and the two ways it leaves the
// process besides the console lines: a JUnit XML report (--junit FILE, as CI systems read
// it) and GitHub Actions annotations (`::error file=…,line=…::`).
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/definition/source_location.hpp"

namespace flowstate::cli {

struct CaseReport {
  std::string name;
  definition::SourceLocation where;  ///< the case's name in the test file
  std::chrono::duration<double> time{};
  std::vector<std::string> failures;  ///< the expectations it did not meet
  std::optional<std::string> error;   ///< it could not run (a refused definition, a bad mock)
  std::string history;                ///< the execution's history, one event per line
  bool passed() const { return failures.empty() && !error; }
};

struct SuiteReport {
  std::string file;  ///< the test file, as given or found
  std::vector<CaseReport> cases;
  std::optional<std::string> error;  ///< the test file itself is wrong: nothing ran
  std::chrono::system_clock::time_point started;
  std::chrono::duration<double> time{};
};

/// One <testsuite> per test file, one <testcase> per case (classname: the file), each
/// failure as <failure message="first line">all of it</failure>, a case that could not run
/// or a bad test file as <error>, and the history in <system-out>.
void write_junit(std::ostream& out, const std::vector<SuiteReport>& suites);

/// `::error file=F,line=L,title=T::message` for each failed case and bad file, with
/// GitHub's escapes (%, CR and LF in the message; also : and , in properties).
void write_github_annotations(std::ostream& out, const std::vector<SuiteReport>& suites);

}  // namespace flowstate::cli
