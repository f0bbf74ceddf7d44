#include "tools/flowstate/version.hpp"

#include <string_view>

// Both are set for this file alone by tools/CMakeLists.txt.
#ifndef FLOWSTATE_VERSION
#define FLOWSTATE_VERSION "unknown"
#endif
#ifndef FLOWSTATE_GIT_DESCRIBE
#define FLOWSTATE_GIT_DESCRIBE ""
#endif

namespace flowstate::cli {

std::string version_text() {
  std::string text = "flowstate " FLOWSTATE_VERSION;
  constexpr std::string_view kDescribe = FLOWSTATE_GIT_DESCRIBE;
  if (!kDescribe.empty()) text += " (" + std::string(kDescribe) + ")";
  return text;
}

}  // namespace flowstate::cli
