#include "engine/jsonata/code_points.hpp"

namespace flowstate::jsonata {

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra && i + static_cast<std::size_t>(extra) >= s.size()) extra = 0;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

std::string to_utf8(const std::vector<char32_t>& points, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end && i < points.size(); ++i) append_utf8(out, points[i]);
  return out;
}

}  // namespace flowstate::jsonata
