#include "states/aws_jsonata_functions.hpp"

#include <cmath>
#include <random>
#include <stdexcept>

#include <boost/json/array.hpp>

#include "engine/data/digest.hpp"
#include "engine/data/json_codec.hpp"
#include "engine/data/random_source.hpp"

namespace flowstate::states {

namespace {

namespace json = boost::json;
using Arguments = std::span<const std::optional<json::value>>;
using Returned = boost::system::result<std::optional<json::value>, jsonata::Error>;

Returned nothing() { return std::optional<json::value>(); }
Returned value(json::value v) { return std::optional<json::value>(std::move(v)); }

// AWS rounds these integer arguments down.
std::optional<std::int64_t> integer(const std::optional<json::value>& argument) {
  if (!argument || !argument->is_number()) return std::nullopt;
  double number = argument->to_number<double>();
  if (!std::isfinite(number) || std::abs(number) > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(number));
}

// $partition(array, size): the array in chunks of `size`, the last one shorter.
Returned partition(Arguments args) {
  auto size = integer(args[1]);
  if (!args[0] || !args[0]->is_array() || !size || *size <= 0) return nothing();
  const json::array& items = args[0]->get_array();
  json::array chunks;
  for (std::size_t at = 0; at < items.size(); at += static_cast<std::size_t>(*size)) {
    json::array chunk;
    for (std::size_t i = at; i < items.size() && i < at + static_cast<std::size_t>(*size); ++i)
      chunk.push_back(items[i]);
    chunks.push_back(std::move(chunk));
  }
  return value(std::move(chunks));
}

// $range(start, end, step): start, start+step, ... up to end inclusive when reached.
Returned range(Arguments args) {
  auto start = integer(args[0]), end = integer(args[1]), step = integer(args[2]);
  if (!start || !end || !step || *step == 0 || (*step > 0 && *start > *end) ||
      (*step < 0 && *start < *end))
    return nothing();
  json::array numbers;
  for (std::int64_t n = *start; *step > 0 ? n <= *end : n >= *end; n += *step) {
    numbers.push_back(n);
    if (numbers.size() > 1000) return jsonata::Error{"D3141", "$range: more than 1000 numbers", 0};
  }
  if (numbers.size() == 1) return value(numbers.front());
  return value(std::move(numbers));
}

Returned hash(Arguments args) {
  if (!args[0] || !args[0]->is_string() || !args[1] || !args[1]->is_string()) return nothing();
  auto algorithm = data::parse_digest_algorithm(args[1]->get_string());
  if (!algorithm)
    return jsonata::Error{"D3137", "$hash: the algorithm must be MD5, SHA-1, SHA-256, SHA-384 or SHA-512", 0};
  return value(json::value(data::hex_digest(*algorithm, args[0]->get_string())));
}

// $random([seed]): a number in [0, 1); the same seed gives the same number.
Returned random(Arguments args) {
  std::uint64_t seed = data::random_u64();
  if (!args.empty() && args[0]) {
    auto given = integer(args[0]);
    if (!given) return nothing();
    seed = static_cast<std::uint64_t>(*given);
  }
  std::mt19937_64 engine(seed);
  return value(json::value(std::uniform_real_distribution<double>(0.0, 1.0)(engine)));
}

Returned uuid(Arguments) { return value(json::value(data::random_uuid())); }

Returned parse(Arguments args) {
  if (!args[0] || !args[0]->is_string()) return nothing();
  auto parsed = data::parse_json(args[0]->get_string());
  if (!parsed) return jsonata::Error{"D3140", "$parse: the string is not valid JSON", 0};
  return value(std::move(*parsed));
}

jsonata::Bindings make_bindings() {
  jsonata::Bindings bindings;
  bindings.hide_builtin("eval");
  struct Added {
    const char* name;
    const char* signature;
    Returned (*function)(Arguments);
  };
  for (const Added& added : {Added{"partition", "<an:a>", partition}, Added{"range", "<nnn:j>", range},
                             Added{"hash", "<ss:s>", hash}, Added{"random", "<n?:n>", random},
                             Added{"uuid", "<:s>", uuid}, Added{"parse", "<s:j>", parse}}) {
    if (!bindings.set_function(added.name, added.signature, added.function))
      throw std::logic_error(std::string("bad signature for $") + added.name);
  }
  return bindings;
}

}  // namespace

const jsonata::Bindings& aws_jsonata_bindings() {
  static const jsonata::Bindings bindings = make_bindings();
  return bindings;
}

}  // namespace flowstate::states
