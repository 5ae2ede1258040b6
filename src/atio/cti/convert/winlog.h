// Converter "winlog" -> "stix": Windows event-log records in JSON (NDJSON, a
// JSON array, or one pretty-printed event after another; flat NXLog/OTRF,
// nested evtx_dump/Sigma or Winlogbeat shapes, see winlog_event.h) to one
// STIX 2.1 bundle per event (winlog_stix.h).
//
// Every record is accounted for in the Report: converted; skipped when it is
// not a Windows event ("not a Windows event record"); failed when it is not
// JSON or is an event that cannot be used (no event id, no time), with its
// line and the reason. No options.
#pragma once

#include "atio/cti/convert/registry.h"

namespace atio::convert {

ConverterInfo winlog_to_stix_info();

}  // namespace atio::convert
