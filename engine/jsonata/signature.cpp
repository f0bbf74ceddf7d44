#include "engine/jsonata/signature.hpp"

#include <fmt/format.h>

#include "engine/jsonata/error.hpp"

namespace flowstate::jsonata {

char type_symbol(const Value& value) {
  switch (value.kind()) {
    case Kind::undefined: return 'm';
    case Kind::null: return 'l';
    case Kind::boolean: return 'b';
    case Kind::number: return 'n';
    case Kind::string: return 's';
    case Kind::array: return 'a';
    case Kind::object: return 'o';
    case Kind::function: return 'f';
  }
  return 'm';
}

namespace {

std::string_view type_name(char symbol) {
  switch (symbol) {
    case 'b': return "booleans";
    case 'n': return "numbers";
    case 's': return "strings";
    case 'l': return "nulls";
    case 'o': return "objects";
    case 'f': return "functions";
    default: return "arrays";
  }
}

std::string symbols_of(char type) {
  switch (type) {
    case 'j': return "bnsloa";
    case 'x': return "bnsloaf";
    case 'u': return "bnsl";
    case 'a': return "bnsloaf";  // anything is accepted and wrapped into an array
    default: return std::string(1, type);
  }
}

// Skips a "<...>" type parameter starting at text[i] == '<'; returns the index after '>'.
std::size_t skip_angle(std::string_view text, std::size_t i, std::size_t position) {
  int depth = 0;
  for (; i < text.size(); ++i) {
    if (text[i] == '<') ++depth;
    if (text[i] == '>' && --depth == 0) return i + 1;
  }
  raise("S0401", "Type parameter can only be applied to functions and arrays", position);
}

}  // namespace

Signature Signature::parse(std::string_view text, std::size_t position) {
  Signature sig;
  std::size_t i = 1;  // after '<'
  std::size_t end = text.size();
  if (end > 0 && text[end - 1] == '>') --end;
  while (i < end && text[i] != ':') {
    char c = text[i];
    if (c == '-' || c == '?' || c == '+') {
      if (sig.params_.empty()) raise("S0401", "Invalid function signature", position);
      auto& p = sig.params_.back();
      if (c == '-') p.context = true;
      else p.quantifier = c;
      ++i;
      continue;
    }
    Param p;
    if (c == '(') {
      auto close = text.find(')', i);
      if (close == std::string_view::npos) raise("S0401", "Invalid function signature", position);
      for (char t : text.substr(i + 1, close - i - 1)) {
        if (t == '<') raise("S0402", "Choice groups containing parameterized types are not supported", position);
        p.symbols += symbols_of(t);
      }
      i = close + 1;
    } else if (std::string_view("bnsloafjxu").find(c) != std::string_view::npos) {
      p.symbols = symbols_of(c);
      p.array = c == 'a';
      ++i;
      if (i < end && text[i] == '<') {
        if (c != 'a' && c != 'f') raise("S0401", "Type parameter can only be applied to functions and arrays", position);
        if (c == 'a' && i + 2 < end && text[i + 2] == '>') p.subtype = text[i + 1];
        i = skip_angle(text, i, position);
      }
    } else {
      raise("S0401", fmt::format("Unknown type '{}' in function signature", c), position);
    }
    sig.params_.push_back(std::move(p));
  }
  return sig;
}

namespace {

bool accepts(const Signature::Param& p, char symbol) {
  return symbol == 'm' || p.symbols.find(symbol) != std::string::npos;
}

// Assigns args[a..] to params[p..]; counts[p] = how many arguments param p takes.
bool match(const std::vector<Signature::Param>& params, const std::string& symbols, std::size_t p,
           std::size_t a, std::vector<std::size_t>& counts) {
  if (p == params.size()) return a == symbols.size();
  const auto& param = params[p];
  std::size_t max = 0;
  while (a + max < symbols.size() && accepts(param, symbols[a + max])) {
    ++max;
    if (param.quantifier != '+') break;
  }
  std::size_t min = (param.quantifier == '?' || param.context) ? 0 : 1;
  for (std::size_t n = max + 1; n-- > min;) {
    counts[p] = n;
    if (match(params, symbols, p + 1, a + n, counts)) return true;
  }
  return false;
}

}  // namespace

std::vector<Value> Signature::validate(const std::vector<Value>& args, const Value& context,
                                       std::string_view function_name, std::size_t position) const {
  std::string symbols;
  for (const auto& a : args) symbols.push_back(type_symbol(a));
  std::vector<std::size_t> counts(params_.size(), 0);
  if (!match(params_, symbols, 0, 0, counts)) {
    // Find the first argument that cannot match, for the message.
    std::size_t bad = 0;
    for (std::size_t i = 0; i < args.size() && i < params_.size(); ++i) {
      if (!accepts(params_[i], symbols[i])) { bad = i; break; }
      bad = i + 1;
    }
    raise("T0410",
          fmt::format("Argument {} of function {} does not match function signature", bad + 1, function_name), position);
  }
  std::vector<Value> out;
  std::size_t a = 0;
  for (std::size_t p = 0; p < params_.size(); ++p) {
    const auto& param = params_[p];
    if (counts[p] == 0) {
      if (param.context) {
        Value ctx = context.is_outer_wrapper() && context.size() > 0 ? context.at(0) : context;
        if (!accepts(param, type_symbol(ctx)))
          raise("T0411", fmt::format("Context value is not a compatible type with argument 1 of function {}",
                                     function_name), position);
        out.push_back(param.array && ctx.is_defined() && !ctx.is_array() ? sequence_of(ctx) : ctx);
      } else if (param.quantifier != '+') {
        // As JSONata does, an optional parameter that matched nothing still takes the next
        // argument, if any.
        out.push_back(a < args.size() ? args[a] : Value());
        ++a;
      }
      continue;
    }
    // An optional parameter that took no argument above shifted `a` by one, as in JSONata:
    // reads beyond the arguments are undefined.
    for (std::size_t n = 0; n < counts[p]; ++n, ++a) {
      Value arg = a < args.size() ? args[a] : Value();
      if (param.array && arg.is_defined()) {
        if (param.subtype) {
          bool ok = true;
          if (!arg.is_array()) ok = type_symbol(arg) == param.subtype;
          else
            for (std::size_t i = 0, m = arg.size(); i < m && ok; ++i) ok = type_symbol(arg.at(i)) == param.subtype;
          if (!ok)
            raise("T0412", fmt::format("Argument {} of function {} must be an array of {}", a + 1, function_name,
                                       type_name(param.subtype)), position);
        }
        if (!arg.is_array()) {
          auto wrapped = make_array();
          wrapped->items.push_back(arg);
          arg = Value::array(std::move(wrapped));
        }
      }
      out.push_back(std::move(arg));
    }
  }
  return out;
}

}  // namespace flowstate::jsonata
