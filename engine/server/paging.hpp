// Paging of List* and GetExecutionHistory answers: maxResults (default 100, at most 1000)
// and an opaque nextToken, which here is the position of the next item.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
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

/// A List* answer: {member: the items of `page` among `items`, each as `item_json` writes
/// it} and nextToken.
template <typename Item, typename ItemJson>
boost::json::object paged_answer(std::string_view member, const Page& page, const std::vector<Item>& items,
                                 ItemJson item_json) {
  boost::json::array listed;
  for (std::size_t i = page.first; i < items.size() && i < page.first + page.size; ++i)
    listed.push_back(item_json(items[i]));
  boost::json::object answer{{member, std::move(listed)}};
  add_next_token(answer, page, items.size());
  return answer;
}

}  // namespace flowstate::server
