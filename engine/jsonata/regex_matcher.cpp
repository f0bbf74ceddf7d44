#include "engine/jsonata/regex_matcher.hpp"

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/syntax_tree.hpp"
#include "engine/jsonata/utf16_text.hpp"

namespace flowstate::jsonata {

std::vector<RegexMatch> find_matches(const std::regex& regex, std::string_view subject, std::size_t limit) {
  std::vector<RegexMatch> out;
  auto it = std::cregex_iterator(subject.data(), subject.data() + subject.size(), regex);
  for (; it != std::cregex_iterator() && out.size() < limit; ++it) {
    const auto& m = *it;
    if (m.length(0) == 0) raise("D1004", "Regular expression matches zero length string");
    RegexMatch r;
    r.begin = static_cast<std::size_t>(m.position(0));
    r.end = r.begin + static_cast<std::size_t>(m.length(0));
    r.text = m.str(0);
    for (std::size_t g = 1; g < m.size(); ++g) r.groups.push_back(m[g].matched ? m.str(g) : std::string());
    out.push_back(std::move(r));
  }
  return out;
}

Value match_object(std::string_view subject, const RegexMatch& match) {
  auto obj = make_object();
  obj->set("match", Value::string(match.text));
  obj->set("index", Value::number(static_cast<double>(code_points(subject.substr(0, match.begin)).size())));
  auto groups = make_array();
  for (const auto& g : match.groups) groups->items.push_back(Value::string(g));
  obj->set("groups", Value::array(std::move(groups)));
  return Value::object(std::move(obj));
}

Value regex_match_value(const SyntaxNode& regex, const Value& subject, std::size_t offset) {
  if (!subject.is_string()) return {};
  auto text = subject.as_string();
  auto matches = find_matches(*regex.regex, text.substr(std::min(offset, text.size())), 1);
  if (matches.empty()) return {};
  auto obj = make_object();
  obj->set("match", Value::string(matches[0].text));
  obj->set("start", Value::number(static_cast<double>(matches[0].begin + offset)));
  obj->set("end", Value::number(static_cast<double>(matches[0].end + offset)));
  auto groups = make_array();
  for (const auto& g : matches[0].groups) groups->items.push_back(Value::string(g));
  obj->set("groups", Value::array(std::move(groups)));
  return Value::object(std::move(obj));
}

}  // namespace flowstate::jsonata
