// holder_key / holder_value: the keys and values the store_holder process writes (key i is
// "key/" + i as 6 digits, its value "value-" + the same digits), shared with the tests that
// check them. Header-only test harness.
#pragma once

#include <cstdio>
#include <string>

namespace flowstate::test {

inline std::string holder_key(int i) {
  char text[32];
  std::snprintf(text, sizeof text, "key/%06d", i);
  return text;
}

inline std::string holder_value(int i) {
  char text[32];
  std::snprintf(text, sizeof text, "value-%06d", i);
  return text;
}

}  // namespace flowstate::test
