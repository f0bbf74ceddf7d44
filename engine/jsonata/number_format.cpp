#include "engine/jsonata/number_format.hpp"

namespace flowstate::jsonata {

void add_number_format_functions(NativeTable&) {}

}  // namespace flowstate::jsonata
