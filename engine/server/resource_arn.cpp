#include "engine/server/resource_arn.hpp"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "engine/server/aws_json_protocol.hpp"

namespace flowstate::server {

namespace {

// The parts of "arn:aws:states:REGION:ACCOUNT:KIND:..." after KIND, when KIND is `kind`.
std::vector<std::string_view> parts_after(std::string_view arn, std::string_view kind) {
  std::vector<std::string_view> parts;
  std::string_view rest = arn;
  while (true) {
    auto colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (parts.size() < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != kind)
    throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  parts.erase(parts.begin(), parts.begin() + 6);
  for (std::string_view part : parts)
    if (part.empty()) throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  return parts;
}

}  // namespace

std::string state_machine_name_of(std::string_view arn) {
  auto parts = parts_after(arn, "stateMachine");
  if (parts.size() != 1)
    throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}': versions and aliases are not supported", arn));
  return std::string(parts[0]);
}

QualifiedStateMachine qualified_state_machine_of(std::string_view arn) {
  auto parts = parts_after(arn, "stateMachine");
  if (parts.size() > 2) throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  QualifiedStateMachine named{std::string(parts[0]), std::nullopt, {}};
  if (parts.size() == 1) return named;
  std::string_view qualifier = parts[1];
  std::int64_t version = 0;
  auto [end, error] = std::from_chars(qualifier.data(), qualifier.data() + qualifier.size(), version);
  if (error == std::errc() && end == qualifier.data() + qualifier.size()) {
    if (version < 1) throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
    named.version = version;
  } else {
    named.alias = std::string(qualifier);
  }
  return named;
}

std::string activity_name_of(std::string_view arn) {
  auto parts = parts_after(arn, "activity");
  if (parts.size() != 1) throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  return std::string(parts[0]);
}

ExecutionName execution_name_of(std::string_view arn) {
  auto parts = parts_after(arn, "execution");
  if (parts.size() != 2) throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  return {std::string(parts[0]), std::string(parts[1])};
}

MapRunName map_run_name_of(std::string_view arn) {
  auto parts = parts_after(arn, "mapRun");
  if (parts.size() != 2 || parts[0].find('/') == std::string_view::npos)
    throw ApiError("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  return {std::string(parts[0]), std::string(parts[1])};
}

}  // namespace flowstate::server
