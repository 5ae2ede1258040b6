// STIX 2.1 validation.
//
// Promises: everything the OASIS STIX 2.1 JSON schemas check for the types
// they cover (common properties, required properties, JSON types, identifier
// shape and id/type agreement, timestamps, enumerations, value ranges, hashes,
// external references, markings, extensions), plus the MUSTs of the STIX 2.1
// text that a schema cannot express (created <= modified and the other time
// orders, the object types a reference may point to, custom property and
// custom type names). Open vocabularies give warnings for values outside the
// vocabulary; closed enumerations give errors. Custom object types (x-...,
// ATT&CK's x-mitre-...) are checked for the common properties only and are
// never an error by themselves. References to objects a bundle does not
// contain are not errors (STIX allows that). Indicator pattern syntax is not
// checked here (see the pattern parser).
//
// Every problem names the JSON pointer of the offending value and one rule.
// A valid object costs no allocation; nothing here throws.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace atio::stix {

struct Problem {
  enum class Severity { kError, kWarning };
  Severity severity;
  std::string pointer;  // JSON pointer into the document, e.g. /objects/3/created
  std::string message;  // one sentence naming the rule that failed
  // Stable id of that rule: "schema.<name>" when the OASIS JSON schemas check
  // it, "spec.<name>" for a rule of the STIX 2.1 text the schemas cannot see.
  std::string_view rule;
};

struct Validation {
  std::vector<Problem> problems;

  bool ok() const { return errors() == 0; }  // warnings allowed
  std::size_t errors() const;
  std::size_t warnings() const;
};

// Validates a bundle, a single object, or a bare JSON array of objects.
Validation validate(const boost::json::value& document);

// Parses `text` and validates it; text that is not JSON gives one error at
// pointer "" (rule "json.syntax") naming the line and column.
Validation validate_json(std::string_view text);

// Adds the problems of one object found at `pointer` (e.g. "/objects/3"; ""
// for a top-level object). Cheap enough for the conversion hot path.
void validate_object(const boost::json::object& object, std::string_view pointer, Validation* out);

}  // namespace atio::stix
