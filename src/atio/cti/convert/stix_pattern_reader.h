// A small reader for the STIX patterns MISP data turns into: one observation
// of equality comparisons joined by AND / OR, with parentheses, e.g.
//   [file:name = 'a.exe' AND file:hashes.'SHA-256' = 'ab..']
// It only extracts the (object path, value) pairs; it does not evaluate or
// validate patterns. Anything else (other operators, several observations,
// qualifiers) is reported as unreadable so the caller can keep the pattern
// whole. The shared STIX pattern parser (cti/stix/pattern) should replace it
// once it exists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atio::convert::misp {

struct Comparison {
  std::string object_type;  // "file"
  std::string path;         // "hashes.SHA-256" (quotes removed)
  std::string value;        // unescaped
};

// The comparisons in order; nullopt when the pattern has another shape.
std::optional<std::vector<Comparison>> read_simple_pattern(std::string_view pattern);

}  // namespace atio::convert::misp
