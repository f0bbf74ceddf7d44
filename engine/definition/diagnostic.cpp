#include "engine/definition/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace flowstate::definition {

void Diagnostics::add(SourceLocation location, std::string message) {
  items_.push_back(Diagnostic{std::move(location), std::move(message)});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  auto key = [](const Diagnostic& d) {
    return std::tie(d.location.file, d.location.line, d.location.column, d.message);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

std::string to_string(const Diagnostic& diagnostic) { return fmt::format("{}", diagnostic); }

}  // namespace flowstate::definition
