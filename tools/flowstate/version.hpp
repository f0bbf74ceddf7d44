// The version `flowstate --version` prints: the CMake project version, and `git describe` of
// the source tree when it was configured from a git checkout.
#pragma once

#include <string>

namespace flowstate::cli {

/// "flowstate 0.1.0 (efab9bf)", or "flowstate 0.1.0" without git.
std::string version_text();

}  // namespace flowstate::cli
