// RFC 8785 JSON Canonicalization Scheme (JCS): the byte form STIX 2.1 hashes
// to derive deterministic SCO ids. Object members sorted by their UTF-16 code
// units, no insignificant whitespace, strings with the minimal escapes, numbers
// in the ECMAScript shortest round-trip form.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace atio::stix {

// Appends the canonical form of `v` to `out`.
void canonicalize(const boost::json::value& v, std::string* out);
std::string canonicalize(const boost::json::value& v);

// Appends one string in canonical form (quoted, minimal escapes).
void canonicalize_string(std::string_view s, std::string* out);

}  // namespace atio::stix
