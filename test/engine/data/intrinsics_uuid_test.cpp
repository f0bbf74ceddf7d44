// Tests of the UUID intrinsic (States.UUID); expected values reproduce AWS-recorded conformance cases
// (../shared/conformance/cases/core/unique_id*) where one exists.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "test/harness/intrinsic_outcome.hpp"

namespace {

using flowstate::test::intrinsics::run;

}  // namespace

TEST_CASE("States.UUID: returns a random version 4 UUID", "[data][intrinsics]") {
  auto first = run("States.UUID()");
  auto second = run("States.UUID()");
  REQUIRE(first.error.empty());
  CHECK(first.output != second.output);
  // "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", quoted.
  REQUIRE(first.output.size() == 38);
  std::string id = first.output.substr(1, 36);
  for (std::size_t i = 0; i < id.size(); ++i) {
    CAPTURE(id, i);
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      CHECK(id[i] == '-');
    } else {
      CHECK(std::string_view("0123456789abcdef").find(id[i]) != std::string_view::npos);
    }
  }
  CHECK(id[14] == '4');
  CHECK(std::string_view("89ab").find(id[19]) != std::string_view::npos);
}

TEST_CASE("States.UUID: takes no arguments", "[data][intrinsics]") {
  CHECK(run("States.UUID(1)").cause == "States.UUID takes 0 arguments, but 1 was given");
}
