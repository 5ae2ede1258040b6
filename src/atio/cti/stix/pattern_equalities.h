// The `path = 'value'` comparisons of a STIX pattern, for converters that map
// indicators to other tools' attributes (MISP attributes, IRIS IOCs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atio::stix {

struct Equality {
  std::string object_type;  // "file"
  std::string path;         // "hashes.SHA-256", "to_refs[*].value" (quotes removed)
  std::string value;        // the string literal, unescaped
};

// For a pattern of one observation whose comparisons are all `path =
// 'string'` joined by AND or OR (with parentheses): those comparisons in
// order. nullopt for any other shape (other operators, several observations,
// qualifiers, non-string values) and for text that does not parse.
std::optional<std::vector<Equality>> simple_equalities(std::string_view pattern);

// Every non-negated `path = 'string'` comparison anywhere in the pattern, in
// order; empty when the text does not parse.
std::vector<Equality> all_equalities(std::string_view pattern);

}  // namespace atio::stix
