// The OpenVAS / Greenbone (GVM) scan report -> STIX 2.1 converter ("gvm" to
// "stix"). Takes an XML report (any GVM/OpenVAS version, see gvm_xml.h) or a
// CSV results export (gvm_csv.h), told apart by their content, and writes
// one STIX bundle per report (gvm_stix.h says what the bundle holds and
// which results are skipped).
//
// Options: {"include_log": true} keeps informational (Log) results that
// name no CVE as findings instead of skipping them.
#pragma once

#include "atio/cti/convert/registry.h"

namespace atio::convert {

ConverterInfo gvm_to_stix_info();

}  // namespace atio::convert
