// Paging of List* and GetExecutionHistory answers: maxResults (default 100, at most 1000)
// and an opaque nextToken, which here is the position of the next item.
#pragma once

#include <cstddef>

#include <boost/json/object.hpp>

namespace flowstate::server {

struct Page {
  std::size_t first = 0;  ///< index of the first item of this page
  std::size_t size = 0;   ///< items at most
};

/// The page a request asks for; throws ApiError (InvalidToken, ValidationException).
Page requested_page(const boost::json::object& request);
/// Adds nextToken to `response` when items remain after `page` among `total`.
void add_next_token(boost::json::object& response, const Page& page, std::size_t total);

}  // namespace flowstate::server
