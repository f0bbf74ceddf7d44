// Date and time functions: $now, $millis, $fromMillis, $toMillis (pictures in datetime_format).
#include <chrono>

#include "engine/jsonata/datetime_format.hpp"
#include "engine/jsonata/error.hpp"
#include "engine/jsonata/evaluator.hpp"
#include "engine/jsonata/function_library.hpp"

namespace flowstate::jsonata {

void add_datetime_functions(NativeTable& t) {
  add(t, "millis", "<:n>", [](NativeCall& c) { return Value::number(c.evaluator.now_millis()); });
  add(t, "now", "<s?s?:s>", [](NativeCall& c) -> Value {
    double ms = c.evaluator.now_millis();
    return Value::string(format_datetime(ms, c.arg(0).is_undefined() ? nullptr : &c.arg(0), c.arg(1).is_undefined() ? nullptr : &c.arg(1), c.position));
  });
  add(t, "fromMillis", "<n-s?s?:s>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    return Value::string(format_datetime(c.arg(0).as_number(), c.arg(1).is_undefined() ? nullptr : &c.arg(1),
                                         c.arg(2).is_undefined() ? nullptr : &c.arg(2), c.position));
  });
  add(t, "toMillis", "<s-s?:n>", [](NativeCall& c) -> Value {
    if (c.arg(0).is_undefined()) return {};
    auto ms = parse_datetime(c.arg(0).as_string(), c.arg(1).is_undefined() ? nullptr : &c.arg(1), c.position);
    if (!ms) return {};
    return Value::number(*ms);
  });
}

}  // namespace flowstate::jsonata
