#include "engine/jsonata/number_format.hpp"

#include "engine/jsonata/error.hpp"
#include "engine/jsonata/integer_picture.hpp"

namespace flowstate::jsonata {

void add_number_format_functions(NativeTable& t) {
  add(t, "formatInteger", "<n-s:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto picture = analyse_integer_picture(c.arg(1).as_string(), c.position);
    return Value::string(format_integer(c.arg(0).as_number(), picture));
  });
  add(t, "parseInteger", "<s-s:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto picture = analyse_integer_picture(c.arg(1).as_string(), c.position);
    auto value = parse_integer(c.arg(0).as_string(), picture);
    if (!value) return {};
    return Value::number(*value);
  });
}

}  // namespace flowstate::jsonata
