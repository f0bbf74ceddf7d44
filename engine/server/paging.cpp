#include "engine/server/paging.hpp"

#include <charconv>

#include <fmt/format.h>

#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

namespace {

constexpr std::string_view kTokenPrefix = "flowstate-page-";

}  // namespace

Page requested_page(const boost::json::object& request) {
  Page page;
  auto max_results = optional_integer(request, "maxResults").value_or(0);
  if (max_results < 0 || max_results > 1000)
    throw ApiError("ValidationException",
                   fmt::format("1 validation error detected: Value '{}' at 'maxResults' failed to satisfy "
                               "constraint: Member must have value between 0 and 1000",
                               max_results));
  page.size = max_results == 0 ? 100 : static_cast<std::size_t>(max_results);
  if (auto token = optional_string(request, "nextToken")) {
    std::string_view text = *token;
    std::size_t first = 0;
    auto [end, error] = text.starts_with(kTokenPrefix)
                            ? std::from_chars(text.data() + kTokenPrefix.size(), text.data() + text.size(), first)
                            : std::from_chars_result{text.data(), std::errc::invalid_argument};
    if (error != std::errc() || end != text.data() + text.size())
      throw ApiError("InvalidToken", fmt::format("Invalid Token: '{}'", text));
    page.first = first;
  }
  return page;
}

void add_next_token(boost::json::object& response, const Page& page, std::size_t total) {
  if (page.first + page.size < total) response["nextToken"] = fmt::format("{}{}", kTokenPrefix, page.first + page.size);
}

}  // namespace flowstate::server
