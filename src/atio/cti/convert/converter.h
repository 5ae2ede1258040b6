// Converters turn the records of one format into documents of another: a
// Suricata alert into a STIX bundle, a GVM report into STIX, STIX into a MISP
// event or an IRIS alert. One interface, one registry (registry.h); each
// format is one file under convert/ registered in builtin.cc.
//
// A converter reads its Input in a stream where the format allows it (NDJSON,
// JSON arrays) so memory stays flat in the input size, writes each output
// document to an Output as soon as it is made, and accounts for every record
// in a Report: read, converted, skipped (not meant for this converter, e.g. a
// Suricata flow record) or failed (meant for it but unusable), with where and
// why. Nothing is dropped silently.
#pragma once

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/cti/convert/input.h"
#include "atio/cti/convert/report.h"

namespace atio::convert {

namespace bj = boost::json;

// Receives each output document, in order.
class Output {
 public:
  virtual ~Output() = default;
  // An error stops the conversion (the output cannot take more). The
  // document may live in a buffer the converter reuses after write returns:
  // an output that keeps it moves it into its own storage (moving a
  // boost::json value into a container of another storage copies it).
  virtual Status write(bj::object&& document) = 0;
  // The same document given as its compact JSON text (one object), for
  // converters that write text directly on their hot path. The text may live
  // in a buffer the converter reuses. This default parses it and calls
  // write(); outputs that only serialise take the text as it is.
  virtual Status write_json(std::string_view text);
};

class Converter {
 public:
  virtual ~Converter() = default;

  // Converts every record of `in`, writing each output document to `out`.
  // Records that cannot be converted are counted in `report` with their
  // location and reason and the others are still converted. Returns an error
  // only when the input cannot be read at all (not this format, I/O error) or
  // `out` refuses a document; the report then says how far it got.
  virtual Status convert(Input& in, Output& out, Report& report) const = 0;
};

}  // namespace atio::convert
