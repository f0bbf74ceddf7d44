// Boost.JSON compiled into flowstate (header-only mode) instead of linked as a shared
// library: its hot functions (value moves and copies) are called on every transition, and
// one shared library less shortens start-up.
#include <boost/json/src.hpp>
