// RegexMatch: the matches of a regex literal in a string, with JSONata's rules (a regex that
// matches the empty string is an error, D1004), for $match, $replace, $split, $contains and
// the date pictures. Matching uses Boost.Regex, whose matcher is not recursive and gives up
// on runaway backtracking, so no subject can exhaust the stack (std::regex's can: a 50 KB
// string against /a.*b/ crashes it).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

struct SyntaxNode;

/// A compiled regex (defined in regex_matcher.cpp, the only file that includes Boost.Regex).
struct CompiledRegex;

struct RegexFlags {
  bool ignore_case = false;  ///< i
  bool multiline = false;    ///< m: ^ and $ match at line breaks
};

/// JavaScript regex syntax; raises S0303 when `pattern` does not compile.
std::shared_ptr<const CompiledRegex> compile_regex(std::string_view pattern, RegexFlags flags, std::size_t position);

struct RegexMatch {
  std::size_t begin = 0;  ///< byte offsets in the subject
  std::size_t end = 0;
  std::string text;
  std::vector<std::string> groups;  ///< "" for a group that did not take part
};

/// Up to `limit` matches, left to right, without overlap. D1004 on an empty match; D1005
/// when the matcher gives up (too much backtracking).
std::vector<RegexMatch> find_matches(const CompiledRegex& regex, std::string_view subject, std::size_t limit);
/// The groups when the regex matches the whole subject (group 0 first), else nullopt.
std::optional<std::vector<std::optional<std::string>>> match_whole(const CompiledRegex& regex, std::string_view subject);
/// The JSONata match object {"match", "index", "groups"} (index in characters).
Value match_object(std::string_view subject, const RegexMatch& match);
/// Calling a regex value as a function: the first match object at or after `offset`.
Value regex_match_value(const SyntaxNode& regex, const Value& subject, std::size_t offset);

}  // namespace flowstate::jsonata
