#include "tools/flowstate/test_report.hpp"

#include <unistd.h>

#include <ctime>

#include <fmt/format.h>

namespace flowstate::cli {

namespace {

// Text in an XML attribute or element: the five entities, and the characters XML 1.0
// cannot hold (control characters other than tab, CR and LF) as U+FFFD.
std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t':
      case '\n':
      case '\r': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

std::string seconds(std::chrono::duration<double> time) { return fmt::format("{:.3f}", time.count()); }

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

std::string iso_time(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  return buffer;
}

std::string github_escaped(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

void write_junit(std::ostream& out, const std::vector<SuiteReport>& suites) {
  std::size_t tests = 0, failures = 0, errors = 0;
  std::chrono::duration<double> total{};
  for (const SuiteReport& suite : suites) {
    total += suite.time;
    if (suite.error) ++tests, ++errors;
    for (const CaseReport& test : suite.cases) {
      ++tests;
      if (test.error) ++errors;
      else if (!test.failures.empty()) ++failures;
    }
  }
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"flowstate test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n",
                     tests, failures, errors, seconds(total));
  for (std::size_t index = 0; index < suites.size(); ++index) {
    const SuiteReport& suite = suites[index];
    std::size_t suite_failures = 0, suite_errors = suite.error ? 1 : 0;
    for (const CaseReport& test : suite.cases) {
      if (test.error) ++suite_errors;
      else if (!test.failures.empty()) ++suite_failures;
    }
    std::string name = xml_escaped(suite.file);
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" "
                       "time=\"{}\" timestamp=\"{}\" hostname=\"{}\" id=\"{}\" package=\"{}\">\n",
                       name, suite.cases.size() + (suite.error ? 1 : 0), suite_failures, suite_errors,
                       seconds(suite.time), iso_time(suite.started), xml_escaped(host), index, name);
    if (suite.error) {
      out << fmt::format("    <testcase name=\"(test file)\" classname=\"{}\" file=\"{}\" time=\"0.000\">\n", name, name);
      out << fmt::format("      <error message=\"{}\" type=\"InvalidTestFile\">{}</error>\n",
                         xml_escaped(first_line(*suite.error)), xml_escaped(*suite.error));
      out << "    </testcase>\n";
    }
    for (const CaseReport& test : suite.cases) {
      out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{}\">\n",
                         xml_escaped(test.name), name, name, test.where.line, seconds(test.time));
      if (test.error) {
        out << fmt::format("      <error message=\"{}\" type=\"ExecutionRefused\">{}</error>\n",
                           xml_escaped(first_line(*test.error)), xml_escaped(*test.error));
      } else if (!test.failures.empty()) {
        std::string all;
        for (const std::string& failure : test.failures) all += failure + '\n';
        out << fmt::format("      <failure message=\"{}\" type=\"ExpectationFailed\">{}</failure>\n",
                           xml_escaped(first_line(test.failures.front())), xml_escaped(all));
      }
      if (!test.history.empty()) out << "      <system-out>" << xml_escaped(test.history) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

void write_github_annotations(std::ostream& out, const std::vector<SuiteReport>& suites) {
  for (const SuiteReport& suite : suites) {
    if (suite.error) {
      out << fmt::format("::error file={},title={}::{}\n", github_escaped(suite.file, true),
                         github_escaped("flowstate test: invalid test file", true), github_escaped(*suite.error, false));
    }
    for (const CaseReport& test : suite.cases) {
      if (test.passed()) continue;
      std::string message;
      if (test.error) message = *test.error;
      for (const std::string& failure : test.failures) message += (message.empty() ? "" : "\n") + failure;
      out << fmt::format("::error file={},line={},title={}::{}\n", github_escaped(suite.file, true), test.where.line,
                         github_escaped(fmt::format("flowstate test: {}", test.name), true),
                         github_escaped(message, false));
    }
  }
}

}  // namespace flowstate::cli
