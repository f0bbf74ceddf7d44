// RegexMatch: the matches of a regex literal in a string, with JSONata's rules (a regex that
// matches the empty string is an error, D1004), for $match, $replace, $split, $contains.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/jsonata/value.hpp"

namespace flowstate::jsonata {

struct SyntaxNode;

struct RegexMatch {
  std::size_t begin = 0;  ///< byte offsets in the subject
  std::size_t end = 0;
  std::string text;
  std::vector<std::string> groups;  ///< "" for a group that did not take part
};

/// Up to `limit` matches, left to right, without overlap.
std::vector<RegexMatch> find_matches(const std::regex& regex, std::string_view subject, std::size_t limit);
/// The JSONata match object {"match", "index", "groups"} (index in code points).
Value match_object(std::string_view subject, const RegexMatch& match);
/// Calling a regex value as a function: the first match object at or after `offset`.
Value regex_match_value(const SyntaxNode& regex, const Value& subject, std::size_t offset);

}  // namespace flowstate::jsonata
