#include "engine/jsonata/lexer.hpp"

#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "engine/jsonata/code_points.hpp"
#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {
namespace {

constexpr std::string_view kOperatorChars = ".[]{}(),@#;:?+-*/%|=<>^&!~";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Lexer::signature(std::size_t start) {
  pos_ = start;
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '<') ++depth;
    if (c == '>' && --depth == 0) return std::string(text_.substr(start, pos_ - start));
  }
  raise("S0401", "Unterminated function signature", pos_);
}

Token Lexer::next(bool prefix) {
  for (;;) {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    if (pos_ + 1 < text_.size() && text_[pos_] == '/' && text_[pos_ + 1] == '*') {
      auto close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) raise("S0106", "Comment has no closing tag", pos_);
      pos_ = close + 2;
      continue;
    }
    break;
  }
  Token t;
  if (pos_ >= text_.size()) {
    t.position = pos_;
    return t;
  }
  char c = text_[pos_];
  if (prefix && c == '/') {
    std::size_t start = ++pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      char d = text_[pos_];
      if (d == '\\') { pos_ += 2; continue; }
      if (d == '[') ++depth;
      if (d == ']' && depth > 0) --depth;
      if (d == '/' && depth == 0) break;
      ++pos_;
    }
    if (pos_ >= text_.size()) raise("S0302", "No terminating / in regular expression", pos_);
    t.type = Token::Type::regex;
    t.text = std::string(text_.substr(start, pos_ - start));
    if (t.text.empty()) raise("S0301", "Empty regular expressions are not allowed", pos_);
    ++pos_;
    while (pos_ < text_.size() && (text_[pos_] == 'i' || text_[pos_] == 'm')) t.flags.push_back(text_[pos_++]);
    t.position = pos_;
    return t;
  }
  static constexpr std::string_view kTwoChar[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
  if (pos_ + 1 < text_.size()) {
    auto two = text_.substr(pos_, 2);
    for (auto op : kTwoChar) {
      if (two == op && (jsonata_2_1_operators_ || (op != "??" && op != "?:"))) {
        pos_ += 2;
        t.type = Token::Type::op;
        t.text = std::string(op);
        t.position = pos_;
        return t;
      }
    }
  }
  if (kOperatorChars.find(c) != std::string_view::npos) {
    ++pos_;
    t.type = Token::Type::op;
    t.text = std::string(1, c);
    t.position = pos_;
    return t;
  }
  if (c == '"' || c == '\'') {
    char quote = c;
    ++pos_;
    std::string out;
    while (pos_ < text_.size()) {
      char d = text_[pos_];
      if (d == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char e = text_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case '"': out.push_back('"'); break;
          case '\\': out.push_back('\\'); break;
          case '/': out.push_back('/'); break;
          case 'b': out.push_back('\b'); break;
          case 'f': out.push_back('\f'); break;
          case 'n': out.push_back('\n'); break;
          case 'r': out.push_back('\r'); break;
          case 't': out.push_back('\t'); break;
          case 'u': {
            auto read4 = [&](std::size_t at) -> int {
              if (at + 4 > text_.size()) return -1;
              int v = 0;
              for (std::size_t k = 0; k < 4; ++k) {
                int h = hex_digit(text_[at + k]);
                if (h < 0) return -1;
                v = v * 16 + h;
              }
              return v;
            };
            int cp = read4(pos_);
            if (cp < 0) raise("S0104", "The escape sequence \\u must be followed by 4 hex digits", pos_);
            pos_ += 4;
            std::uint32_t code = static_cast<std::uint32_t>(cp);
            if (code >= 0xD800 && code < 0xDC00 && pos_ + 1 < text_.size() && text_[pos_] == '\\' &&
                text_[pos_ + 1] == 'u') {
              int low = read4(pos_ + 2);
              if (low >= 0xDC00 && low < 0xE000) {
                code = 0x10000 + ((code - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
                pos_ += 6;
              }
            }
            append_utf8(out, static_cast<char32_t>(code));
            break;
          }
          default:
            if (e == quote) { out.push_back(e); break; }
            raise("S0103", std::string("Unsupported escape sequence: \\") + e, pos_);
        }
        continue;
      }
      if (d == quote) {
        ++pos_;
        t.type = Token::Type::string;
        t.text = std::move(out);
        t.position = pos_;
        return t;
      }
      out.push_back(d);
      ++pos_;
    }
    raise("S0101", "String literal must be terminated by a matching quote", pos_);
  }
  if (c >= '0' && c <= '9') {
    std::size_t start = pos_;
    if (c == '0') ++pos_;
    else while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t save = pos_++;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      } else {
        pos_ = save;
      }
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec != std::errc() || !std::isfinite(value))
      raise("S0102", "Number out of range: " + std::string(text_.substr(start, pos_ - start)), pos_);
    t.type = Token::Type::number;
    t.number = value;
    t.position = pos_;
    return t;
  }
  if (c == '`') {
    auto close = text_.find('`', pos_ + 1);
    if (close == std::string_view::npos) raise("S0105", "Quoted property name must be terminated with a backquote (`)", pos_);
    t.type = Token::Type::name;
    t.text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    t.position = pos_;
    return t;
  }
  std::size_t start = pos_;
  while (pos_ < text_.size() && !is_space(text_[pos_]) && kOperatorChars.find(text_[pos_]) == std::string_view::npos) ++pos_;
  std::string word(text_.substr(start, pos_ - start));
  t.position = pos_;
  if (c == '$') {
    t.type = Token::Type::variable;
    t.text = word.substr(1);
    return t;
  }
  if (word == "and" || word == "or" || word == "in") {
    t.type = Token::Type::op;
  } else if (word == "true" || word == "false" || word == "null") {
    t.type = Token::Type::value;
  } else {
    t.type = Token::Type::name;
  }
  t.text = std::move(word);
  return t;
}

}  // namespace flowstate::jsonata
