// The equality comparisons of the STIX patterns MISP data turns into, read
// with the shared pattern parser (stix/pattern_equalities.h).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "atio/cti/stix/pattern_equalities.h"

namespace atio::convert::misp {

using Comparison = stix::Equality;

// The comparisons in order; nullopt when the pattern has another shape (see
// stix::simple_equalities).
inline std::optional<std::vector<Comparison>> read_simple_pattern(std::string_view pattern) {
  return stix::simple_equalities(pattern);
}

}  // namespace atio::convert::misp
