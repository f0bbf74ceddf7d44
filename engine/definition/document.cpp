#include "engine/definition/document.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "engine/asl/limits.hpp"
#include "engine/definition/strict_json_reader.hpp"

namespace flowstate::definition {

namespace json = boost::json;

// The tree the YAML events build before it becomes a json::value; it keeps each node's marks.
struct YamlNode {
  enum class Kind { scalar_value, array, object } kind = Kind::scalar_value;
  json::value scalar;
  std::vector<std::pair<std::string, YamlNode>> members;  // objects
  std::vector<YamlNode> elements;                         // arrays
  SourceLocation location;
  SourceLocation key_location;
};

class DocumentBuilder : public YAML::EventHandler {
 public:
  DocumentBuilder(std::string file, Diagnostics& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  bool failed() const { return failed_; }
  std::optional<YamlNode>& result() { return result_; }

  void OnDocumentStart(const YAML::Mark& mark) override { document_start_ = at(mark); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    YamlNode node;
    node.scalar = nullptr;
    node.location = at(mark);
    add(std::move(node), std::nullopt);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    error(mark, "YAML aliases (*name) are not supported in definitions; write the value out");
    YamlNode node;
    node.location = at(mark);
    add(std::move(node), std::nullopt);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    YamlNode node;
    node.location = at(mark);
    bool plain = tag == "?";
    if (plain && value == "<<" && expecting_key())
      error(mark, "YAML merge keys (<<) are not supported in definitions; write the fields out");
    node.scalar = plain ? resolve_plain(value) : json::value(value);
    if (out_of_range_) {
      error(mark, fmt::format("the number {} is out of range for a double; write a smaller "
                              "number, or quote it to make it a string",
                              value));
      out_of_range_ = false;
    }
    add(std::move(node), value);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check_anchor(mark, anchor);
    open(mark, YamlNode::Kind::array);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check_anchor(mark, anchor);
    open(mark, YamlNode::Kind::object);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    std::optional<std::string> pending_key;
    SourceLocation pending_key_location;
  };

  SourceLocation at(const YAML::Mark& mark) const {
    return SourceLocation{file_, static_cast<std::size_t>(mark.line) + 1,
                          static_cast<std::size_t>(mark.column) + 1};
  }

  void error(const YAML::Mark& mark, std::string message) {
    diagnostics_.add(at(mark), std::move(message));
    failed_ = true;
  }

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      error(mark, "YAML anchors (&name) are not supported in definitions; write the value out");
  }

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().node.kind == YamlNode::Kind::object &&
           !stack_.back().pending_key;
  }

  void open(const YAML::Mark& mark, YamlNode::Kind kind) {
    if (expecting_key()) {
      error(mark, "mapping keys must be strings, not sequences or mappings");
      stack_.back().pending_key = std::string();
    }
    if (stack_.size() >= static_cast<std::size_t>(asl::kMaxJsonDepth)) {
      error(mark, fmt::format("the definition nests deeper than {} levels; flatten it",
                              asl::kMaxJsonDepth));
      throw DepthExceeded{};
    }
    Frame frame;
    frame.node.kind = kind;
    frame.node.location = at(mark);
    deepest_ = frame.node.location;
    stack_.push_back(std::move(frame));
  }

  void close() {
    YamlNode node = std::move(stack_.back().node);
    stack_.pop_back();
    add(std::move(node), std::nullopt);
  }

  // `scalar_text` is the scalar's text when the node is a scalar (it may be a mapping key).
  void add(YamlNode node, const std::optional<std::string>& scalar_text) {
    if (stack_.empty()) {
      result_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.kind == YamlNode::Kind::array) {
      parent.node.elements.push_back(std::move(node));
      return;
    }
    if (!parent.pending_key) {
      parent.pending_key = scalar_text.value_or(std::string());
      parent.pending_key_location = node.location;
      return;
    }
    for (const auto& [key, member] : parent.node.members) {
      if (key == *parent.pending_key) {
        diagnostics_.add(parent.pending_key_location,
                         fmt::format("duplicate key '{}' (first at line {}); a key may appear "
                                     "only once in an object",
                                     key, member.key_location.line));
        failed_ = true;
      }
    }
    node.key_location = parent.pending_key_location;
    parent.node.members.emplace_back(std::move(*parent.pending_key), std::move(node));
    parent.pending_key.reset();
  }

  // YAML 1.2 core schema for plain scalars, restricted to what JSON can hold.
  json::value resolve_plain(const std::string& text) {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty())
      return nullptr;
    std::string_view s = text;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty()) return json::value(text);
    std::size_t i = s.front() == '-' ? 1 : 0;
    bool digits = false, fraction = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
    if (i < s.size() && s[i] == '.') {
      fraction = true;
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
    }
    if (!digits) return json::value(text);
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      fraction = true;
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      bool exponent_digits = false;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; exponent_digits = true; }
      if (!exponent_digits) return json::value(text);
    }
    if (i != s.size()) return json::value(text);
    if (!fraction) {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc()) return n;
      std::uint64_t u = 0;
      auto [pu, ecu] = std::from_chars(s.data(), s.data() + s.size(), u);
      if (ecu == std::errc()) return u;
    }
    double d = std::strtod(std::string(s).c_str(), nullptr);
    if (std::isinf(d)) {
      out_of_range_ = true;
      return nullptr;
    }
    return d;
  }

 public:
  struct DepthExceeded {};
  const SourceLocation& document_start() const { return document_start_; }
  const SourceLocation& deepest() const { return deepest_; }

 private:
  std::string file_;
  Diagnostics& diagnostics_;
  std::vector<Frame> stack_;
  std::optional<YamlNode> result_;
  SourceLocation document_start_;
  SourceLocation deepest_;
  bool failed_ = false;
  bool out_of_range_ = false;
};

namespace {

void materialize(YamlNode& node, json::value& target,
                 std::unordered_map<const json::value*, SourceLocation>& values,
                 std::unordered_map<const json::value*, SourceLocation>& keys) {
  values.emplace(&target, node.location);
  switch (node.kind) {
    case YamlNode::Kind::scalar_value: target = std::move(node.scalar); break;
    case YamlNode::Kind::array: {
      auto& array = target.emplace_array();
      array.reserve(node.elements.size());
      for (auto& element : node.elements) {
        array.emplace_back(nullptr);
        materialize(element, array.back(), values, keys);
      }
      break;
    }
    case YamlNode::Kind::object: {
      auto& object = target.emplace_object();
      object.reserve(node.members.size());
      for (auto& [key, member] : node.members) {
        auto [it, inserted] = object.emplace(key, nullptr);
        if (!inserted) continue;  // duplicate, already diagnosed
        keys.emplace(&it->value(), member.key_location);
        materialize(member, it->value(), values, keys);
      }
      break;
    }
  }
}

// yaml-cpp's wording for the two mistakes JSON authors make most, made actionable.
std::string explain_yaml_error(const std::string& message) {
  if (message == "end of map flow not found")
    return "a '{' object is not closed by '}', or a ',' is missing between two of its members";
  if (message == "end of sequence flow not found")
    return "a '[' array is not closed by ']', or a ',' is missing between two of its elements";
  // yaml-cpp's "invalid unicode: 55357" for a UTF-16 surrogate escape, which YAML cannot hold
  // (a JSON file reads it; this one is YAML, or JSON with something YAML-only in it).
  if (message.starts_with("invalid unicode: ")) {
    long code = std::strtol(message.c_str() + 17, nullptr, 10);
    if (code >= 0xd800 && code <= 0xdfff)
      return fmt::format("\\u{:04x} is half of a UTF-16 surrogate pair, which a YAML string cannot hold; "
                         "write the character itself (or \\UXXXXXXXX with its code point)",
                         code);
  }
  return message;
}

}  // namespace

std::optional<Document> Document::parse(std::string_view text, std::string file,
                                        Diagnostics& diagnostics, Reader reader) {
  if (reader == Reader::automatic) {
    Diagnostics found;
    DocumentBuilder json_builder(file, found);
    auto stop = read_strict_json(text, json_builder);
    if (!stop) {
      for (const auto& diagnostic : found.items()) diagnostics.add(diagnostic.location, diagnostic.message);
      return build(json_builder, std::move(file));
    }
    if (stop->kind == JsonStop::Kind::unreadable) {
      diagnostics.add(SourceLocation{file, stop->line, stop->column}, stop->reason);
      return std::nullopt;
    }
  }
  DocumentBuilder builder(file, diagnostics);
  std::istringstream stream{std::string(text)};
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) {
      diagnostics.add(SourceLocation{file, 1, 1}, "the file is empty; expected a state machine");
      return std::nullopt;
    }
    // A second document would be silently ignored; say so instead.
    Diagnostics ignored;
    DocumentBuilder rest(file, ignored);
    if (!builder.failed() && parser.HandleNextDocument(rest)) {
      diagnostics.add(rest.document_start(), "the file holds more than one YAML document; a "
                                             "definition is a single document (remove the "
                                             "'---' separator and what follows)");
      return std::nullopt;
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at 500 levels, before our own limit; same message either way.
    // Its mark is the end of the input, so point at the deepest '[' or '{' seen instead.
    diagnostics.add(builder.deepest(),
                    fmt::format("the definition nests deeper than {} levels; flatten it",
                                e.depth() - 1));
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diagnostics.add(SourceLocation{file, static_cast<std::size_t>(e.mark.line) + 1,
                                   static_cast<std::size_t>(e.mark.column) + 1},
                    fmt::format("YAML syntax error: {}", explain_yaml_error(e.msg)));
    return std::nullopt;
  } catch (const DocumentBuilder::DepthExceeded&) {
    return std::nullopt;
  }
  return build(builder, std::move(file));
}

std::optional<Diagnostic> Document::json_problem(std::string_view text, std::string file) {
  Diagnostics ignored;
  DocumentBuilder builder(file, ignored);
  std::optional<JsonStop> stop;
  try {
    stop = read_strict_json(text, builder);
  } catch (const DocumentBuilder::DepthExceeded&) {
    return std::nullopt;
  }
  if (!stop || stop->kind == JsonStop::Kind::unsupported) return std::nullopt;
  return Diagnostic{SourceLocation{std::move(file), stop->line, stop->column}, std::move(stop->reason)};
}

std::optional<Document> Document::build(DocumentBuilder& builder, std::string file) {
  if (builder.failed() || !builder.result()) return std::nullopt;
  Document document;
  document.file_ = std::move(file);
  document.directory_ = std::filesystem::path(document.file_).parent_path();
  document.root_ = std::make_unique<json::value>();
  std::unordered_map<const json::value*, SourceLocation> values, keys;
  materialize(*builder.result(), *document.root_, values, keys);
  for (auto& [node, location] : values) document.marks_[node].value = std::move(location);
  for (auto& [node, location] : keys) document.marks_[node].key = std::move(location);
  return document;
}

std::optional<Document> Document::load_file(const std::filesystem::path& path,
                                            Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.add(SourceLocation{path.string(), 0, 0},
                    fmt::format("cannot read the file: {}", std::strerror(errno)));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string(), diagnostics);
}

SourceLocation Document::location_of(const json::value& node) const {
  auto it = marks_.find(&node);
  if (it == marks_.end()) return SourceLocation{file_, 0, 0};
  return it->second.value;
}

SourceLocation Document::key_location_of(const json::value& member) const {
  auto it = marks_.find(&member);
  if (it == marks_.end()) return SourceLocation{file_, 0, 0};
  return it->second.key ? *it->second.key : it->second.value;
}

}  // namespace flowstate::definition
