// MISP core format -> STIX 2.1 bundle, and the "misp" -> "stix" converter.
//
// Accepts what MISP and its REST API write: {"Event": {...}}, a bare event,
// {"response": [{"Event": ...}, ...]}, a JSON array of events, or an
// attribute collection ({"response": {"Attribute": [...]}} /
// {"Attribute": [...]}). One input document gives one bundle, as misp-stix
// does. The mapping follows misp-stix (see misp_stix_writer.h and
// docs/misp-stix.md); every attribute becomes at least one STIX object.
//
// Converter options: {"unpublished_as_report": bool} (default false: an
// unpublished event becomes a grouping, as in misp-stix).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/convert/misp_stix_writer.h"
#include "atio/cti/convert/registry.h"

namespace atio::convert {

struct MispToStix {
  bj::object bundle;
  std::size_t events = 0;
  // Every MISP attribute uuid (top-level and inside objects) with the STIX
  // ids made of it.
  std::map<std::string, std::vector<std::string>> attribute_ids;
  // Attributes that could not be read (no type or value), one line each.
  std::vector<std::string> problems;
};

// kInvalidArgument when `misp` is none of the accepted shapes.
Result<MispToStix> misp_to_stix(const bj::value& misp, const misp::ToStixOptions& options = {});

// The registry entry: from "misp" to "stix".
ConverterInfo misp_to_stix_converter();

}  // namespace atio::convert
