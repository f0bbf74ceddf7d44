// Parser: JSONata text → SyntaxNode tree (top-down operator precedence), shaped for the
// evaluator as it is built: dotted steps become paths, predicates become stages, tail calls
// in lambdas become thunks. Syntax errors are S0xxx codes.
#pragma once

#include <string_view>

#include "engine/jsonata/syntax_tree.hpp"

namespace flowstate::jsonata {

struct ParseOptions {
  /// "??" (coalescing) and "?:" (default) came with JSONata 2.1; Step Functions runs 2.0,
  /// where they are syntax errors.
  bool jsonata_2_1_operators = true;
};

/// Raises RaisedError (S0xxx) on a syntax error.
SyntaxPtr parse(std::string_view text, const ParseOptions& options = {});

}  // namespace flowstate::jsonata
