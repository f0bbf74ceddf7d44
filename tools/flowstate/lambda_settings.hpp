// The Lambda option of `run`, `resume` and `redrive` (--lambda-endpoint URL, else
// FLOWSTATE_LAMBDA_ENDPOINT): the local Lambda endpoint that serves Lambda function ARNs and
// `arn:aws:states:::lambda:invoke`, and choosing it with clear errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "engine/tasks/lambda_endpoint.hpp"

namespace flowstate::cli {

struct LambdaSettings {
  std::string endpoint;  ///< --lambda-endpoint; "" when not given
};

/// `recorded`: resume and redrive, where the option overrides what the execution recorded.
enum class LambdaOptionFor { run, recorded_execution };
void add_lambda_options(CLI::App& command, LambdaSettings& settings, LambdaOptionFor use);

/// The endpoint an execution runs with: --lambda-endpoint, else the one it recorded
/// (`recorded`, "" for a new one), else $FLOWSTATE_LAMBDA_ENDPOINT; none when none is set.
struct LambdaChoice {
  std::optional<tasks::LambdaEndpoint> endpoint;
};
/// Nullopt after printing one line naming the source and what is wrong with its URL.
std::optional<LambdaChoice> choose_lambda_endpoint(const LambdaSettings& settings,
                                                   std::string_view recorded);

}  // namespace flowstate::cli
