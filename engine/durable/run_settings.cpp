#include "engine/durable/run_settings.hpp"

#include "engine/data/json_member.hpp"

namespace flowstate::durable {

void add_run_settings(const RunSettings& settings, boost::json::object& out) {
  if (!settings.test_case.empty()) {
    out["mockConfig"] = settings.mock_config;
    out["testCase"] = settings.test_case;
  }
  if (!settings.lambda_endpoint.empty()) out["lambdaEndpoint"] = settings.lambda_endpoint;
  if (settings.skip_waits) out["skipWaits"] = true;
  if (!settings.working_directory.empty()) out["workingDirectory"] = settings.working_directory;
  if (!settings.substitutions.empty()) {
    boost::json::object values;
    for (const auto& [name, value] : settings.substitutions) values[name] = value;
    out["substitutions"] = std::move(values);
  }
}

RunSettings run_settings_from_json(const boost::json::object& object) {
  RunSettings settings;
  settings.mock_config = data::string_member(object, "mockConfig");
  settings.test_case = data::string_member(object, "testCase");
  settings.lambda_endpoint = data::string_member(object, "lambdaEndpoint");
  if (const boost::json::value* skip = object.if_contains("skipWaits"); skip && skip->is_bool())
    settings.skip_waits = skip->get_bool();
  settings.working_directory = data::string_member(object, "workingDirectory");
  if (const boost::json::value* values = object.if_contains("substitutions"); values && values->is_object())
    for (const auto& [name, value] : values->get_object())
      if (value.is_string()) settings.substitutions.emplace(std::string(name), std::string(value.get_string()));
  return settings;
}

}  // namespace flowstate::durable
