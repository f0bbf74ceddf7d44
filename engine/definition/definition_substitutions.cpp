#include "engine/definition/definition_substitutions.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace flowstate::definition {

namespace {

bool is_name_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':';
}

// The length of the Name of a placeholder whose `${` ends at `from`, if `text` holds
// Name then `}` there; 0 when it does not.
std::size_t name_length(std::string_view text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && is_name_character(text[end])) ++end;
  if (end == from || end == text.size() || text[end] != '}') return 0;
  return end - from;
}

std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

}  // namespace

SourceLocation FilledPositions::original(const SourceLocation& filled) const {
  if (replacements_.empty() || filled.line == 0 || filled.line > filled_lines_.size()) return filled;
  std::size_t offset = filled_lines_[filled.line - 1] + filled.column - 1;
  std::size_t shift_from = 0, shift_to = 0;  // offset - shift_to + shift_from, past the last replacement
  for (const Replacement& replacement : replacements_) {
    if (offset < replacement.filled_offset) break;
    if (offset < replacement.filled_offset + replacement.filled_length) {
      shift_from = replacement.original_offset;
      shift_to = offset;
      break;
    }
    shift_from = replacement.original_offset + replacement.original_length;
    shift_to = replacement.filled_offset + replacement.filled_length;
  }
  std::size_t original = offset - shift_to + shift_from;
  auto line = std::upper_bound(original_lines_.begin(), original_lines_.end(), original) - original_lines_.begin();
  return SourceLocation{filled.file, static_cast<std::size_t>(line),
                        original - original_lines_[static_cast<std::size_t>(line) - 1] + 1};
}

bool is_placeholder_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!is_name_character(c)) return false;
  return true;
}

// Fn::Sub: "To write a dollar sign and curly braces (${}) literally, add an exclamation point
// (!) after the open curly brace, such as ${!Literal}. CloudFormation resolves this text as
// ${Literal}." Columns count bytes, as yaml-cpp's marks (and so every other diagnostic) do.
FilledDefinition fill_placeholders(std::string_view text, const Substitutions& values, std::string_view file) {
  FilledDefinition filled;
  filled.text.reserve(text.size());
  std::size_t line = 1, line_start = 0, copied = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
      continue;
    }
    if (text[i] != '$' || text[i + 1] != '{') continue;
    if (i + 2 < text.size() && text[i + 2] == '!') {
      filled.text.append(text.substr(copied, i - copied));
      filled.positions.replacements_.push_back({i, 3, filled.text.size(), 2});
      filled.text.append("${");  // the '!' dropped
      copied = i + 3;
      i += 2;
      continue;
    }
    std::size_t length = name_length(text, i + 2);
    if (length == 0) continue;
    std::string_view name = text.substr(i + 2, length);
    auto value = values.find(name);
    if (value == values.end()) {
      filled.unfilled.push_back(
          Placeholder{std::string(name), SourceLocation{std::string(file), line, i - line_start + 1}});
      continue;
    }
    filled.text.append(text.substr(copied, i - copied));
    filled.positions.replacements_.push_back({i, length + 3, filled.text.size(), value->second.size()});
    filled.text.append(value->second);
    copied = i + 2 + length + 1;
    i = copied - 1;
  }
  filled.text.append(text.substr(copied));
  if (!filled.positions.replacements_.empty()) {
    filled.positions.original_lines_ = line_starts(text);
    filled.positions.filled_lines_ = line_starts(filled.text);
  }
  return filled;
}

std::string unfilled_message(const Placeholder& placeholder) {
  return fmt::format("the placeholder ${{{0}}} has no value; give it with --substitute {0}=VALUE or in a "
                     "--substitutions file, or write ${{!{0}}} for the literal text ${{{0}}}",
                     placeholder.name);
}

std::string fill_placeholders(std::string_view text, const Substitutions& values, std::string_view file,
                              Diagnostics& diagnostics) {
  FilledDefinition filled = fill_placeholders(text, values, file);
  for (const Placeholder& placeholder : filled.unfilled)
    diagnostics.add(placeholder.location, unfilled_message(placeholder));
  return std::move(filled.text);
}

}  // namespace flowstate::definition
