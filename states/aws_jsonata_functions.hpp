// The JSONata functions Step Functions adds ($partition, $range, $hash, $random with an
// optional seed, $uuid, $parse) and the built-in it disables ($eval), as one set of Bindings
// that every JSONata evaluation starts from.
#pragma once

#include "engine/jsonata/bindings.hpp"

namespace flowstate::states {

/// Built once; copy it and add $states and the variables.
const jsonata::Bindings& aws_jsonata_bindings();

}  // namespace flowstate::states
