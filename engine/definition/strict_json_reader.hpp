// read_strict_json: reads a definition written as JSON (RFC 8259, what AWS's own parser
// takes) into the events yaml-cpp would give for it, with the same marks, and says where and
// why a text stops being JSON (a trailing comma, a comment, a single-quoted string).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace YAML {
class EventHandler;
}

namespace flowstate::definition {

/// Where the text stopped being read as JSON, and why.
struct JsonStop {
  enum class Kind {
    not_json,    ///< the text is not JSON there (it may still be YAML)
    unreadable,  ///< JSON no definition can hold: a lone UTF-16 surrogate escape
    unsupported, ///< JSON the reader leaves to yaml-cpp: deeper than it goes, a lone '\r' 
  };
  Kind kind = Kind::not_json;
  std::size_t line = 1;    ///< 1-based
  std::size_t column = 1;  ///< 1-based, in bytes as yaml-cpp counts
  std::string reason;      ///< e.g. "a comma before '}' (a trailing comma)"
};

/// Feeds `events` the document in `text`; nullopt when all of it was JSON, else where it
/// stopped (the events then describe part of it). Unlike yaml-cpp, it reads every \u escape,
/// a surrogate pair (\ud83d\ude02, as Python's json.dumps writes non-ASCII) as one character.
std::optional<JsonStop> read_strict_json(std::string_view text, YAML::EventHandler& events);

}  // namespace flowstate::definition
