#include "tools/flowstate/substitution_settings.hpp"

#include <iostream>

#include <fmt/format.h>

#include "engine/data/json_codec.hpp"
#include "engine/definition/document.hpp"
#include "tools/flowstate/file_argument.hpp"

namespace flowstate::cli {

namespace json = boost::json;

void add_substitution_options(CLI::App& command, SubstitutionSettings& settings) {
  command
      .add_option("--substitute", settings.pairs,
                  "fill the definition's ${NAME} placeholders with VALUE, as CloudFormation's "
                  "DefinitionSubstitutions do (repeatable; wins over --substitutions)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  command.add_option("--substitutions", settings.file,
                     "fill the definition's ${NAME} placeholders from this JSON or YAML map of NAME: VALUE");
}

namespace {

constexpr std::string_view kNameRule = "letters, digits, '_', '.' and ':'";

// A value as the text that replaces its placeholder: a string as it is, a number or boolean
// as JSON writes it; nullopt for anything else.
std::optional<std::string> substitution_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_number() || value.is_bool()) return data::serialize_json(value);
  return std::nullopt;
}

bool read_file(const std::string& path, definition::Substitutions& values) {
  auto text = read_file_argument(path, "substitutions");
  if (!text) return false;
  definition::Diagnostics diagnostics;
  auto document = definition::Document::parse(*text, path, diagnostics, definition::Document::Reader::yaml);
  if (document && !document->root().is_object())
    diagnostics.add(document->location_of(document->root()),
                    "the substitutions are a map of placeholder names to values, e.g. {\"TableName\": \"jobs\"}");
  if (document && document->root().is_object()) {
    for (const auto& member : document->root().get_object()) {
      if (!definition::is_placeholder_name(member.key()))
        diagnostics.add(document->key_location_of(member.value()),
                        fmt::format("'{}' cannot be a placeholder's name: a name is {}", std::string_view(member.key()),
                                    kNameRule));
      else if (auto value = substitution_text(member.value()))
        values[std::string(member.key())] = std::move(*value);
      else
        diagnostics.add(document->location_of(member.value()),
                        fmt::format("the value of '{}' must be a string, number or boolean",
                                    std::string_view(member.key())));
    }
  }
  for (const auto& diagnostic : diagnostics.sorted()) std::cerr << to_string(diagnostic) << '\n';
  return diagnostics.empty() && document;
}

}  // namespace

std::optional<definition::Substitutions> load_substitutions(const SubstitutionSettings& settings) {
  definition::Substitutions values;
  bool ok = settings.file.empty() || read_file(settings.file, values);
  for (const std::string& pair : settings.pairs) {
    auto equals = pair.find('=');
    std::string name = pair.substr(0, equals);
    if (equals == std::string::npos || !definition::is_placeholder_name(name)) {
      std::cerr << fmt::format("flowstate: error: --substitute '{}': expected NAME=VALUE, NAME being {} (the "
                               "NAME of a ${{NAME}} placeholder)\n",
                               pair, kNameRule);
      ok = false;
      continue;
    }
    values[name] = pair.substr(equals + 1);
  }
  if (!ok) return std::nullopt;
  return values;
}

}  // namespace flowstate::cli
