// Encoding intrinsics: States.Base64Encode and States.Base64Decode (MIME base64 of UTF-8).
#include <array>
#include <cstdint>
#include <string>

#include <boost/json/string.hpp>
#include <fmt/format.h>

#include "engine/data/intrinsics.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

namespace {

constexpr std::string_view kBase64Encode = "States.Base64Encode";
constexpr std::string_view kBase64Decode = "States.Base64Decode";

// "The input string must be 10,000 characters or less" for both (intrinsic-functions.html).
constexpr std::size_t kMaxInput = 10000;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int alphabet_index(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

boost::system::result<std::string_view, asl::Failure> limited_input(std::string_view function,
                                                                   const json::value& value) {
  auto text = string_argument(function, "the argument", value);
  if (!text) return text.error();
  std::size_t length = utf16_length(*text);
  if (length > kMaxInput) {
    return invalid_argument(function, fmt::format("the input has {} characters, more than the {} "
                                                  "allowed",
                                                  length, kMaxInput));
  }
  return text;
}

}  // namespace

std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) ++units;  // a lead byte starts one code point
    if (c >= 0xF0) ++units;            // past the BMP: a surrogate pair
  }
  return units;
}

// Recorded: encode_decode.base_64_encode-01 "Data to encode" -> "RGF0YSB0byBlbmNvZGU=".
Result base64_encode(std::span<json::value> args) {
  auto text = limited_input(kBase64Encode, args[0]);
  if (!text) return text.error();
  std::string out;
  out.reserve((text->size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>((*text)[k])); };
  for (; i + 2 < text->size(); i += 3) {
    std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i + 1 == text->size()) {
    std::uint32_t n = byte(i) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.append("==");
  } else if (i + 2 == text->size()) {
    std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return json::value(json::string(out));
}

// Decodes standard base64 (padding optional) into text; the bytes must be UTF-8, since the
// result is a JSON string.
Result base64_decode(std::span<json::value> args) {
  auto text = limited_input(kBase64Decode, args[0]);
  if (!text) return text.error();
  std::string_view data = *text;
  while (!data.empty() && data.back() == '=') data.remove_suffix(1);
  if (text->size() - data.size() > 2 || data.size() % 4 == 1 ||
      (text->size() != data.size() && text->size() % 4 != 0)) {
    return invalid_argument(kBase64Decode,
                            fmt::format("the argument is not valid base64: {}",
                                        describe_value(args[0])));
  }
  std::string out;
  out.reserve(data.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : data) {
    int v = alphabet_index(c);
    if (v < 0) {
      return invalid_argument(kBase64Decode,
                              fmt::format("the argument is not valid base64: {}",
                                          describe_value(args[0])));
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (!is_utf8(out)) {
    return invalid_argument(kBase64Decode, "the decoded bytes are not UTF-8 text");
  }
  return json::value(json::string(out));
}

}  // namespace flowstate::data::intrinsics
