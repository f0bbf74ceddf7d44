#include "tools/flowstate/lambda_settings.hpp"

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

namespace flowstate::cli {

void add_lambda_options(CLI::App& command, LambdaSettings& settings, LambdaOptionFor use) {
  // Not CLI11's envname(), for the reason add_store_options gives: choose_lambda_endpoint
  // reads FLOWSTATE_LAMBDA_ENDPOINT.
  command.add_option(
      "--lambda-endpoint", settings.endpoint,
      use == LambdaOptionFor::run
          ? "invoke Lambda functions (function ARNs and lambda:invoke) on this local Lambda "
            "endpoint, e.g. http://127.0.0.1:3001 for `sam local start-lambda` (default: "
            "$FLOWSTATE_LAMBDA_ENDPOINT)"
          : "invoke Lambda functions on this endpoint instead of the one the execution ran with");
}

std::optional<LambdaChoice> choose_lambda_endpoint(const LambdaSettings& settings,
                                                   std::string_view recorded) {
  std::string source, url;
  const char* from_environment = std::getenv("FLOWSTATE_LAMBDA_ENDPOINT");
  if (!settings.endpoint.empty()) {
    source = "--lambda-endpoint";
    url = settings.endpoint;
  } else if (!recorded.empty()) {
    source = "the execution's recorded Lambda endpoint";
    url = recorded;
  } else if (from_environment && *from_environment) {
    source = "FLOWSTATE_LAMBDA_ENDPOINT";
    url = from_environment;
  } else {
    return LambdaChoice{};
  }
  auto endpoint = tasks::LambdaEndpoint::parse(url);
  if (!endpoint) {
    std::cerr << fmt::format("flowstate: error: {} '{}': {}\n", source, url, endpoint.error());
    return std::nullopt;
  }
  return LambdaChoice{std::move(*endpoint)};
}

}  // namespace flowstate::cli
