#include "engine/jsonata/parser.hpp"

#include <fmt/format.h>

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/lexer.hpp"
#include "engine/jsonata/regex_matcher.hpp"

namespace flowstate::jsonata {
namespace {

namespace json = boost::json;

int binding_power(const Token& t) {
  if (t.type != Token::Type::op) return 0;
  static const std::pair<std::string_view, int> kPowers[] = {
      {".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80}, {"?", 20}, {"+", 50},
      {"-", 50}, {"*", 60}, {"/", 60}, {"%", 60}, {"=", 40}, {"<", 40}, {">", 40}, {"^", 40},
      {"..", 20}, {":=", 10}, {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40}, {"?:", 40},
      {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50}};
  for (const auto& [op, power] : kPowers)
    if (t.text == op) return power;
  return 0;
}

std::optional<BinaryOp> binary_op(std::string_view op) {
  static const std::pair<std::string_view, BinaryOp> kOps[] = {
      {"+", BinaryOp::add}, {"-", BinaryOp::subtract}, {"*", BinaryOp::multiply},
      {"/", BinaryOp::divide}, {"%", BinaryOp::modulo}, {"=", BinaryOp::equal},
      {"!=", BinaryOp::not_equal}, {"<", BinaryOp::less}, {"<=", BinaryOp::less_equal},
      {">", BinaryOp::greater}, {">=", BinaryOp::greater_equal}, {"and", BinaryOp::and_},
      {"or", BinaryOp::or_}, {"&", BinaryOp::concat}, {"..", BinaryOp::range},
      {"in", BinaryOp::in}, {"??", BinaryOp::coalesce}, {"?:", BinaryOp::default_}};
  for (const auto& [text, value] : kOps)
    if (text == op) return value;
  return std::nullopt;
}

SyntaxPtr node(NodeType type, std::size_t position) { return std::make_unique<SyntaxNode>(type, position); }

SyntaxPtr as_path(SyntaxPtr n) {
  if (n->type == NodeType::path) return n;
  auto path = node(NodeType::path, n->position);
  path->keep_singleton_array = n->keep_array;
  path->items.push_back(std::move(n));
  return path;
}

// A tail call in a lambda body becomes a thunk the caller's trampoline runs, so
// tail-recursive functions run in constant stack.
void optimize_tail_calls(SyntaxPtr& body) {
  if (!body) return;
  if (body->type == NodeType::call && body->predicates.empty() && !body->group) {
    auto thunk = node(NodeType::lambda, body->position);
    thunk->thunk = true;
    thunk->body = std::move(body);
    body = std::move(thunk);
  } else if (body->type == NodeType::condition) {
    optimize_tail_calls(body->then);
    optimize_tail_calls(body->otherwise);
  } else if (body->type == NodeType::block && !body->items.empty()) {
    optimize_tail_calls(body->items.back());
  }
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options) : lexer_(text, options.jsonata_2_1_operators) {
    token_ = lexer_.next(true);
  }

  SyntaxPtr parse_all() {
    auto tree = expression(0);
    if (token_.type != Token::Type::end) raise("S0201", fmt::format("Syntax error: {}", describe(token_)), token_.position);
    if (deferred_) throw RaisedError(*deferred_);
    if (tree->type == NodeType::parent || !tree->seeking_parent.empty())
      raise("S0217", "The object representing the 'parent' cannot be derived from this expression", tree->position);
    return tree;
  }

 private:
  static std::string describe(const Token& t) {
    if (t.type == Token::Type::end) return "(end)";
    if (t.type == Token::Type::number) return fmt::format("{}", t.number);
    return t.text;
  }

  bool is_op(std::string_view op) const { return token_.type == Token::Type::op && token_.text == op; }

  void advance() {
    bool prefix = token_.type == Token::Type::op && token_.text != ")" && token_.text != "]" && token_.text != "}";
    token_ = lexer_.next(prefix);
    if (token_.type == Token::Type::op && (token_.text == "!" || token_.text == "~"))
      raise("S0204", fmt::format("Unknown operator: \"{}\"", token_.text), token_.position);
  }

  void expect(std::string_view op) {
    if (!is_op(op)) {
      if (token_.type == Token::Type::end)
        raise("S0203", fmt::format("Expected \"{}\" before end of expression", op), token_.position);
      raise("S0202", fmt::format("Expected \"{}\", got \"{}\"", op, describe(token_)), token_.position);
    }
    advance();
  }

  SyntaxPtr expression(int rbp) {
    // Nesting is bounded so that a pathological text cannot exhaust the native stack.
    struct Nesting {
      explicit Nesting(int& d, std::size_t position) : depth(d) {
        if (++depth > kMaxNesting) raise("S0201", "Syntax error: expression nested too deeply", position);
      }
      ~Nesting() { --depth; }
      int& depth;
    } nesting(nesting_, token_.position);
    Token t = token_;
    if (t.type == Token::Type::end) raise("S0207", "Unexpected end of expression", t.position);
    advance();
    auto left = nud(t);
    while (rbp < binding_power(token_)) {
      Token op = token_;
      advance();
      left = led(op, std::move(left));
    }
    return left;
  }

  SyntaxPtr nud(const Token& t) {
    switch (t.type) {
      case Token::Type::name: {
        auto n = node(NodeType::name, t.position);
        n->text = t.text;
        return as_path(std::move(n));
      }
      case Token::Type::variable: {
        auto n = node(NodeType::variable, t.position);
        n->text = t.text;
        return n;
      }
      case Token::Type::string: {
        auto n = node(NodeType::string, t.position);
        n->literal = json::string(t.text);
        n->text = t.text;
        return n;
      }
      case Token::Type::number: {
        auto n = node(NodeType::number, t.position);
        n->number = t.number;
        return n;
      }
      case Token::Type::value: {
        auto n = node(NodeType::value, t.position);
        if (t.text == "true") n->literal = true;
        else if (t.text == "false") n->literal = false;
        return n;
      }
      case Token::Type::regex: {
        auto n = node(NodeType::regex, t.position);
        n->text = t.text;
        RegexFlags flags;
        flags.ignore_case = t.flags.find('i') != std::string::npos;
        flags.multiline = t.flags.find('m') != std::string::npos;
        n->regex = compile_regex(t.text, flags, t.position);
        return n;
      }
      case Token::Type::end: raise("S0207", "Unexpected end of expression", t.position);
      case Token::Type::op: break;
    }
    const std::string& op = t.text;
    if (op == "and" || op == "or" || op == "in") {
      auto n = node(NodeType::name, t.position);
      n->text = op;
      return as_path(std::move(n));
    }
    if (op == "-") {
      auto operand = expression(70);
      if (operand->type == NodeType::number) {
        operand->number = -operand->number;
        return operand;
      }
      auto n = node(NodeType::negation, t.position);
      push_ancestry(*n, *operand);
      n->lhs = std::move(operand);
      return n;
    }
    if (op == "*") return node(NodeType::wildcard, t.position);
    if (op == "**") return node(NodeType::descendant, t.position);
    if (op == "%") {
      auto n = node(NodeType::parent, t.position);
      n->slot = std::make_shared<AncestorSlot>();
      n->slot->label = "!" + std::to_string(ancestor_count_++);
      return n;
    }
    if (op == "?") return node(NodeType::placeholder, t.position);
    if (op == "(") {
      auto n = node(NodeType::block, t.position);
      while (!is_op(")")) {
        n->items.push_back(expression(0));
        push_ancestry(*n, *n->items.back());
        if (!is_op(";")) break;
        advance();
      }
      expect(")");
      return n;
    }
    if (op == "[") {
      auto n = node(NodeType::array, t.position);
      while (!is_op("]")) {
        n->items.push_back(expression(0));
        push_ancestry(*n, *n->items.back());
        if (!is_op(",")) break;
        advance();
      }
      expect("]");
      return n;
    }
    if (op == "{") {
      auto n = node(NodeType::object, t.position);
      n->group = object_pairs(t.position);
      for (auto& [key, value] : n->group->pairs) {
        push_ancestry(*n, *key);
        push_ancestry(*n, *value);
      }
      return n;
    }
    if (op == "|") {
      auto n = node(NodeType::transform, t.position);
      n->lhs = expression(0);
      expect("|");
      n->rhs = expression(0);
      if (is_op(",")) {
        advance();
        n->otherwise = expression(0);
      }
      expect("|");
      return n;
    }
    raise("S0211", fmt::format("The symbol {} cannot be used as a unary operator", op), t.position);
  }

  std::unique_ptr<GroupBy> object_pairs(std::size_t position) {
    auto group = std::make_unique<GroupBy>();
    group->position = position;
    while (!is_op("}")) {
      auto key = expression(0);
      expect(":");
      auto value = expression(0);
      group->pairs.emplace_back(std::move(key), std::move(value));
      if (!is_op(",")) break;
      advance();
    }
    expect("}");
    return group;
  }

  SyntaxPtr led(const Token& t, SyntaxPtr left) {
    const std::string& op = t.text;
    if (op == ".") return join_path(std::move(left), expression(75));
    if (op == "(") return call(t, std::move(left));
    if (op == "[") {
      if (is_op("]")) {
        advance();
        if (left->type == NodeType::path) {
          left->items.back()->keep_array = true;
          left->keep_singleton_array = true;
        } else {
          left->keep_array = true;
        }
        return left;
      }
      auto predicate = expression(0);
      expect("]");
      SyntaxNode& target = left->type == NodeType::path ? *left->items.back() : *left;
      if (!predicate->seeking_parent.empty() || predicate->type == NodeType::parent) {
        std::vector<SlotPtr> slots = predicate->seeking_parent;
        if (predicate->type == NodeType::parent) slots.push_back(predicate->slot);
        for (auto& slot : slots) {
          if (slot->level == 1) seek_parent(target, slot);
          else --slot->level;
        }
        push_ancestry(target, *predicate);
      }
      if (left->type == NodeType::path) {
        auto& step = left->items.back();
        if (step->group) raise("S0209", "A predicate cannot follow a grouping expression in a step", t.position);
        step->stages.push_back(Stage{Stage::Kind::filter, std::move(predicate), {}});
      } else {
        if (left->group) raise("S0209", "A predicate cannot follow a grouping expression in a step", t.position);
        left->predicates.push_back(std::move(predicate));
      }
      return left;
    }
    if (op == "{") {
      if (left->group) raise("S0210", "Each step can only have one grouping expression", t.position);
      left->group = object_pairs(t.position);
      return left;
    }
    if (op == "?") {
      auto n = node(NodeType::condition, t.position);
      n->lhs = std::move(left);
      n->then = expression(0);
      if (is_op(":")) {
        advance();
        n->otherwise = expression(0);
      }
      push_ancestry(*n, *n->lhs);
      push_ancestry(*n, *n->then);
      if (n->otherwise) push_ancestry(*n, *n->otherwise);
      return n;
    }
    if (op == ":=") {
      if (left->type != NodeType::variable || !left->predicates.empty() || left->keep_array)
        raise("S0212", "The left side of := must be a variable name (start with $)", t.position);
      auto n = node(NodeType::bind, t.position);
      n->lhs = std::move(left);
      n->rhs = expression(9);
      push_ancestry(*n, *n->rhs);
      return n;
    }
    if (op == "~>") {
      auto n = node(NodeType::apply, t.position);
      n->lhs = std::move(left);
      n->rhs = expression(40);
      push_ancestry(*n, *n->lhs);
      push_ancestry(*n, *n->rhs);
      return n;
    }
    if (op == "^") {
      expect("(");
      auto sort = node(NodeType::sort, t.position);
      for (;;) {
        SortTerm term;
        if (is_op("<")) advance();
        else if (is_op(">")) { term.descending = true; advance(); }
        term.expr = expression(0);
        push_ancestry(*sort, *term.expr);
        sort->terms.push_back(std::move(term));
        if (!is_op(",")) break;
        advance();
      }
      expect(")");
      auto path = as_path(std::move(left));
      path->items.push_back(std::move(sort));
      resolve_ancestry(*path);
      return path;
    }
    if (op == "@" || op == "#") {
      auto rhs = expression(80);
      if (rhs->type != NodeType::variable)
        raise("S0214", fmt::format("The right side of {} must be a variable name (start with $)", op), t.position);
      if (op == "@" && left->type != NodeType::path) {
        // As in JSONata, a context binding on a non-path expression marks the expression
        // itself; it takes effect when the expression becomes a step of a path.
        if (!left->predicates.empty())
          raise("S0215", "A context variable binding must precede any predicates on a step", t.position);
        left->focus = rhs->text;
        left->tuple = true;
        return left;
      }
      bool wrapped = left->type != NodeType::path;
      auto path = as_path(std::move(left));
      auto& step = path->items.back();
      if (wrapped) {
        for (auto& p : step->predicates) step->stages.push_back(Stage{Stage::Kind::filter, std::move(p), {}});
        step->predicates.clear();
      }
      if (op == "@") {
        if (!step->stages.empty())
          raise("S0215", "A context variable binding must precede any predicates on a step", t.position);
        if (step->type == NodeType::sort)
          raise("S0216", "A context variable binding must precede the 'order-by' clause on a step", t.position);
        step->focus = rhs->text;
      } else if (step->stages.empty()) {
        step->index_variable = rhs->text;
      } else {
        step->stages.push_back(Stage{Stage::Kind::index, nullptr, rhs->text});
      }
      step->tuple = true;
      return path;
    }
    auto binop = binary_op(op);
    if (!binop) raise("S0201", fmt::format("Syntax error: {}", op), t.position);
    auto n = node(NodeType::binary, t.position);
    n->op = *binop;
    n->lhs = std::move(left);
    n->rhs = expression(binding_power(t));
    push_ancestry(*n, *n->lhs);
    push_ancestry(*n, *n->rhs);
    return n;
  }

  SyntaxPtr join_path(SyntaxPtr left, SyntaxPtr right) {
    bool left_is_parent = left->type == NodeType::parent;
    SlotPtr left_slot = left_is_parent ? left->slot : nullptr;
    auto path = as_path(std::move(left));
    if (left_is_parent) path->seeking_parent.push_back(left_slot);
    if (right->type == NodeType::path) {
      if (right->keep_singleton_array) path->keep_singleton_array = true;
      for (auto& step : right->items) path->items.push_back(std::move(step));
      if (right->group) path->group = std::move(right->group);
    } else {
      if (right->keep_array) path->keep_singleton_array = true;
      for (auto& p : right->predicates) right->stages.push_back(Stage{Stage::Kind::filter, std::move(p), {}});
      right->predicates.clear();
      path->items.push_back(std::move(right));
    }
    for (auto& step : path->items) {
      if ((step->type == NodeType::number || step->type == NodeType::value) && !deferred_)
        deferred_ = Error{"S0213", "The literal value cannot be used as a step within a path expression", step->position};
      if (step->type == NodeType::string) step->type = NodeType::name;
    }
    if (path->items.front()->type == NodeType::array) path->items.front()->cons_array = true;
    if (path->items.back()->type == NodeType::array) path->items.back()->cons_array = true;
    resolve_ancestry(*path);
    return path;
  }

  SyntaxPtr call(const Token& t, SyntaxPtr left) {
    if (left->type == NodeType::path && left->items.size() == 1 && left->items[0]->type == NodeType::name &&
        (left->items[0]->text == "function" || left->items[0]->text == "\xce\xbb")) {
      auto lambda = node(NodeType::lambda, t.position);
      while (!is_op(")")) {
        if (token_.type != Token::Type::variable)
          raise("S0208", fmt::format("Parameter {} of function definition must be a variable name (start with $)",
                                     lambda->params.size() + 1), token_.position);
        lambda->params.push_back(token_.text);
        advance();
        if (!is_op(",")) break;
        advance();
      }
      expect(")");
      if (is_op("<")) {
        std::size_t start = token_.position - 1;
        std::string text = lexer_.signature(start);
        lambda->signature = Signature::parse(text, start);
        token_ = lexer_.next(false);
      }
      expect("{");
      lambda->body = expression(0);
      expect("}");
      optimize_tail_calls(lambda->body);
      return lambda;
    }
    auto n = node(NodeType::call, t.position);
    n->procedure = std::move(left);
    while (!is_op(")")) {
      auto arg = expression(0);
      if (arg->type == NodeType::placeholder) n->type = NodeType::partial;
      push_ancestry(*n, *arg);
      n->items.push_back(std::move(arg));
      if (!is_op(",")) break;
      advance();
    }
    expect(")");
    return n;
  }

  // The step a `%` refers to: walk back through `node` until `slot` has climbed its levels
  // (names and wildcards are steps; a `%` adds one; blocks and paths look at their end).
  SlotPtr seek_parent(SyntaxNode& n, SlotPtr slot) {
    switch (n.type) {
      case NodeType::name:
      case NodeType::wildcard:
        if (--slot->level == 0) {
          if (n.ancestor) slot->label = n.ancestor->label;
          n.ancestor = slot;
          n.tuple = true;
        }
        break;
      case NodeType::parent: ++slot->level; break;
      case NodeType::block:
        if (!n.items.empty()) {
          n.tuple = true;
          slot = seek_parent(*n.items.back(), slot);
        }
        break;
      case NodeType::path: {
        n.tuple = true;
        std::size_t index = n.items.size();
        slot = seek_parent(*n.items[--index], slot);
        while (slot->level > 0 && index > 0) slot = seek_parent(*n.items[--index], slot);
        break;
      }
      default:
        raise("S0217", "The object representing the 'parent' cannot be derived from this expression", n.position);
    }
    return slot;
  }

  static void push_ancestry(SyntaxNode& result, SyntaxNode& value) {
    for (auto& s : value.seeking_parent) result.seeking_parent.push_back(s);
    if (value.type == NodeType::parent) result.seeking_parent.push_back(value.slot);
  }

  void resolve_ancestry(SyntaxNode& path) {
    SyntaxNode& last = *path.items.back();
    std::vector<SlotPtr> slots = last.seeking_parent;
    if (last.type == NodeType::parent) slots.push_back(last.slot);
    for (SlotPtr slot : slots) {
      std::ptrdiff_t index = static_cast<std::ptrdiff_t>(path.items.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          path.seeking_parent.push_back(slot);
          break;
        }
        SyntaxNode* step = path.items[static_cast<std::size_t>(index--)].get();
        while (index >= 0 && !step->focus.empty() && !path.items[static_cast<std::size_t>(index)]->focus.empty())
          step = path.items[static_cast<std::size_t>(index--)].get();
        slot = seek_parent(*step, slot);
      }
    }
  }

  Lexer lexer_;
  Token token_;
  int ancestor_count_ = 0;
  static constexpr int kMaxNesting = 500;
  int nesting_ = 0;
  std::optional<Error> deferred_;  ///< a shaping error, raised only if the text parses to the end
};

}  // namespace

SyntaxPtr parse(std::string_view text, const ParseOptions& options) { return Parser(text, options).parse_all(); }

}  // namespace flowstate::jsonata
