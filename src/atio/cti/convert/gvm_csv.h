// GVM "CSV Results" exports -> one STIX bundle per file.
//
// The export has a header row naming its columns (25 or 26 in GVM 9-22:
// IP, Hostname, Port, Port Protocol, CVSS, Severity, QoD, NVT Name, Summary,
// Specific Result, NVT OID, CVEs, Task Name, Timestamp, Result ID, ...);
// columns are found by name, so added or reordered columns do not matter.
// Fields follow RFC 4180: quoted fields may hold commas, doubled quotes and
// line breaks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/csv.h"
#include "atio/core/status.h"
#include "atio/cti/convert/converter.h"
#include "atio/cti/convert/gvm_model.h"

namespace atio::convert::gvm {

// Converts the CSV results export in `buffer` (modified in place) into one
// bundle. Each data row is one record located by its line. kInvalidArgument
// naming `input_name` when the header lacks the IP or NVT OID column.
Status convert_csv(std::string& buffer, std::string_view input_name, const Options& options,
                   Output& out, Report& report);

}  // namespace atio::convert::gvm
