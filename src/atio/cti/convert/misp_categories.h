// MISP's default category of each attribute type (describeTypes
// "sane_defaults", as shipped in PyMISP's pymisp/data/describeTypes.json):
// the category MISP itself picks when a request names none. MISP refuses an
// attribute whose category does not allow its type, so attributes atio
// makes without a known category get this one.
#pragma once

#include <string_view>

namespace atio::convert::misp {

// "Other" for a type MISP does not know.
std::string_view default_category(std::string_view type);

}  // namespace atio::convert::misp
