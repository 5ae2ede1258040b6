// STIX 2.1 -> MISP core format, and the "stix" -> "misp" converter.
//
// A bundle (or a bare JSON array of STIX objects) becomes one MISP event
// {"Event": {...}}: the first report or grouping gives its uuid, info, date,
// publication and creator; STIX made from MISP (by atio or misp-stix) comes
// back as the attributes, objects, galaxies and tags it was made of, with
// their uuids, so that pushing the event to MISP updates the event it came
// from (the report's x_atio_misp_id, when present, is the MISP event id).
// See stix_misp_reader.h for how other STIX is read, docs/misp-stix.md for
// what does not survive the trip.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <string>

#include "atio/core/status.h"
#include "atio/cti/convert/registry.h"

namespace atio::convert {

struct StixToMisp {
  bj::object event;  // {"Event": {...}}
  std::size_t objects = 0;  // STIX objects read
  std::size_t used = 0;     // ... that gave something to the event
  // STIX objects that gave nothing (types MISP has no place for), by type.
  std::map<std::string, std::size_t> unused;
};

// kInvalidArgument when `stix` is not a bundle or an array of STIX objects.
Result<StixToMisp> stix_to_misp(const bj::value& stix);

// The registry entry: from "stix" to "misp".
ConverterInfo stix_to_misp_converter();

}  // namespace atio::convert
