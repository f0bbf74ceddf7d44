// Document: a definition's YAML or JSON text as a boost::json::value, with the source location
// of every node. yaml-cpp is included only by document.cpp and by strict_json_reader.cpp, which
// reads JSON definitions without it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/value.hpp>

#include "engine/definition/diagnostic.hpp"
#include "engine/definition/source_location.hpp"

namespace flowstate::definition {

class DocumentBuilder;

class Document {
 public:
  /// automatic: JSON is read directly (read_strict_json), everything else through yaml-cpp
  /// (the same Document either way); yaml: always yaml-cpp (tests compare the two).
  enum class Reader { automatic, yaml };

  /// Parses YAML (JSON is YAML). Anchors, aliases and merge keys are refused, as
  /// CloudFormation refuses them, because yaml-cpp shares aliased nodes instead of copying
  /// them (a tiny "billion laughs" file would explode in any walk).
  static std::optional<Document> parse(std::string_view text, std::string file,
                                       Diagnostics& diagnostics, Reader reader = Reader::automatic);
  /// Where `text` stops being JSON as AWS's parser reads it (a trailing comma, a comment, a
  /// single-quoted string), and why; nullopt when it is JSON. A `.json` definition that only
  /// yaml-cpp reads loads here, but AWS Step Functions refuses it.
  static std::optional<Diagnostic> json_problem(std::string_view text, std::string file);
  static std::optional<Document> load_file(const std::filesystem::path& path,
                                           Diagnostics& diagnostics);

  const boost::json::value& root() const { return *root_; }
  const std::string& file() const { return file_; }
  const std::filesystem::path& directory() const { return directory_; }

  /// Where `node` (a value inside root()) was written; the file alone when unknown.
  SourceLocation location_of(const boost::json::value& node) const;
  /// Where the key of the object member whose value is `member` was written; falls back to
  /// location_of(member).
  SourceLocation key_location_of(const boost::json::value& member) const;

 private:
  struct Marks {
    SourceLocation value;
    std::optional<SourceLocation> key;
  };
  friend class DocumentBuilder;
  static std::optional<Document> build(DocumentBuilder& builder, std::string file);

  std::unique_ptr<boost::json::value> root_;
  std::string file_;
  std::filesystem::path directory_;
  std::unordered_map<const boost::json::value*, Marks> marks_;
};

}  // namespace flowstate::definition
