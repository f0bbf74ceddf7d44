// States.UUID: a random version 4 UUID ("Returns a version 4 universally unique identifier
// (v4 UUID) generated using random numbers", intrinsic-functions.html).
#include <boost/json/string.hpp>

#include "engine/data/intrinsics.hpp"
#include "engine/data/random_source.hpp"

namespace flowstate::data::intrinsics {

namespace json = boost::json;

Result uuid(std::span<json::value>) { return json::value(json::string(random_uuid())); }

}  // namespace flowstate::data::intrinsics
