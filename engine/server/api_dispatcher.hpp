// ApiDispatcher: answers one API request — a table from action name (the X-Amz-Target's
// "AWSStepFunctions.<Action>") to its handler; an action not in the table is
// UnknownOperationException. Handlers throw ApiError for AWS's errors. The CLI's local actions
// ("Flowstate.<Action>", local_actions.cpp) are answered only to a caller that showed the
// store's key (server_presence.hpp).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "engine/server/api_context.hpp"
#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

using ActionHandler = boost::asio::awaitable<boost::json::object> (*)(ApiContext&, const boost::json::object&);
using ActionTable = std::map<std::string, ActionHandler, std::less<>>;

class ApiDispatcher {
 public:
  /// Every action the server answers (state_machine_actions.hpp, execution_actions.hpp).
  explicit ApiDispatcher(ApiContext& context);

  /// The answer to a request with this X-Amz-Target header and body; never throws ApiError.
  /// `local`: the caller showed the store's key.
  boost::asio::awaitable<ApiAnswer> answer(std::string_view target, std::string_view body, bool local = false);

 private:
  ApiContext& context_;
  ActionTable actions_;
  ActionTable local_actions_;
};

}  // namespace flowstate::server
