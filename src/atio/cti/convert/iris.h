// Converter "stix" -> "iris": each STIX bundle becomes one DFIR-IRIS alert
// (iris_alert.h). Input: bundles one per record (NDJSON, a JSON array of
// bundles, or pretty-printed one after another). STIX objects that arrive
// outside a bundle (a bare array of objects, a lone object) are gathered,
// each consecutive run of them, into one bundle of their own.
//
// Report: every bundle or loose object counts as converted; a record that is
// JSON but not STIX (no "type", or a bundle without objects) is skipped;
// broken JSON fails, with the line.
//
// Options (all optional; unknown ones are refused):
//   customer_id            integer >= 1, default 1 (IRIS's initial customer)
//   classification_id      integer >= 1, default 36 ("other:other", iris_ids.h)
//   source                 string, the alert_source; default from the bundle or "atio"
//   default_tlp_id         1..5, the TLP of IOCs with no marking; default 2 (amber)
//   default_asset_type_id  integer >= 1, default 9 ("Windows - Computer")
#pragma once

#include "atio/cti/convert/registry.h"

namespace atio::convert {

ConverterInfo stix_to_iris_info();

}  // namespace atio::convert
