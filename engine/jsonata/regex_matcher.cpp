#include "engine/jsonata/regex_matcher.hpp"

#include <boost/regex.hpp>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/syntax_tree.hpp"

namespace flowstate::jsonata {

struct CompiledRegex {
  boost::regex regex;
};

std::shared_ptr<const CompiledRegex> compile_regex(std::string_view pattern, RegexFlags flags, std::size_t position) {
  // JavaScript semantics: '.' does not match a line break, and ^ $ match only at the ends
  // of the subject unless the m flag is given (Boost's Perl default is the reverse).
  auto options = boost::regex::ECMAScript | boost::regex::no_mod_s;
  if (!flags.multiline) options |= boost::regex::no_mod_m;
  if (flags.ignore_case) options |= boost::regex::icase;
  try {
    return std::make_shared<const CompiledRegex>(CompiledRegex{boost::regex(pattern.begin(), pattern.end(), options)});
  } catch (const boost::regex_error&) {
    raise("S0303", "Invalid regular expression: /" + std::string(pattern) + "/", position);
  }
}

std::vector<RegexMatch> find_matches(const CompiledRegex& regex, std::string_view subject, std::size_t limit) {
  std::vector<RegexMatch> out;
  try {
    boost::cregex_iterator it(subject.data(), subject.data() + subject.size(), regex.regex);
    for (; it != boost::cregex_iterator() && out.size() < limit; ++it) {
      const auto& m = *it;
      if (m.length(static_cast<int>(0)) == 0) raise("D1004", "Regular expression matches zero length string");
      RegexMatch r;
      r.begin = static_cast<std::size_t>(m.position(static_cast<boost::cmatch::size_type>(0)));
      r.end = r.begin + static_cast<std::size_t>(m.length(static_cast<int>(0)));
      r.text = m.str(static_cast<int>(0));
      for (std::size_t g = 1; g < m.size(); ++g) r.groups.push_back(m[static_cast<int>(g)].matched ? m.str(static_cast<int>(g)) : std::string());
      out.push_back(std::move(r));
    }
  } catch (const std::runtime_error& e) {  // Boost.Regex gives up on runaway backtracking
    if (dynamic_cast<const RaisedError*>(&e)) throw;
    raise("D1005", std::string("Regular expression evaluation was abandoned: ") + e.what());
  }
  return out;
}

std::optional<std::vector<std::optional<std::string>>> match_whole(const CompiledRegex& regex, std::string_view subject) {
  boost::cmatch m;
  try {
    if (!boost::regex_match(subject.data(), subject.data() + subject.size(), m, regex.regex)) return std::nullopt;
  } catch (const std::runtime_error& e) {
    raise("D1005", std::string("Regular expression evaluation was abandoned: ") + e.what());
  }
  std::vector<std::optional<std::string>> groups;
  for (std::size_t g = 0; g < m.size(); ++g) {
    if (m[static_cast<int>(g)].matched) groups.emplace_back(m.str(static_cast<int>(g)));
    else groups.emplace_back(std::nullopt);
  }
  return groups;
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
