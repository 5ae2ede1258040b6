// Compact JSON text, fast: the hot path of every converter and of the store
// writes documents that are mostly plain ASCII strings, which this copies
// eight bytes at a time instead of one.
//
// The text is byte for byte what boost::json::serialize writes for the same
// value (the tests hold it to that on the whole corpus), so either may be
// used and the other read back.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace atio::json {

// Appends the compact text of `v` to `*out`.
void dump_append(const boost::json::value& v, std::string* out);
void dump_append(const boost::json::object& o, std::string* out);
// Appends `s` as a JSON string: quoted, with '"', '\\' and the bytes below
// 0x20 escaped (\b \t \n \f \r, else \u00xx) and everything else as is.
// That is also RFC 8785's (JCS) form of a string.
void append_quoted(std::string_view s, std::string* out);

}  // namespace atio::json
