// CACAO variable values by their declared type. Documents carry values as
// strings ("5" for an integer, "true" for a bool); the engine, conditions and
// the validator all read them through this one function.
#pragma once

#include <boost/json/value.hpp>

#include <string_view>

#include "atio/core/status.h"

namespace atio {

// The typed value of `v` for the CACAO variable type `type`:
//   integer, long -> int64 (from a decimal string, or a JSON number that is whole)
//   float         -> double
//   bool          -> bool ("true"/"false", any case)
//   dictionary    -> the object or array (a string holding JSON is parsed)
//   anything else -> `v` unchanged
// null, and "" for the types above, mean "no value yet" and give null.
// A value that does not fit is kInvalidArgument with a sentence such as
// "must be a whole number (a 64-bit integer)"; callers add which variable.
Result<boost::json::value> typed_json_value(std::string_view type, const boost::json::value& v);

}  // namespace atio
