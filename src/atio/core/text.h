// ASCII text helpers shared across modules (header names, content types,
// protocol names, host names): case folding and case-insensitive compares.
#pragma once

#include <string>
#include <string_view>

namespace atio {

// `s` with A-Z turned into a-z; other bytes unchanged (UTF-8 safe).
std::string ascii_lower(std::string_view s);
// Equal when A-Z and a-z are taken as the same letters.
bool iequals(std::string_view a, std::string_view b);
// True when `needle` occurs in `hay`, A-Z and a-z taken as the same.
bool icontains(std::string_view hay, std::string_view needle);

}  // namespace atio
