// What a STIX bundle says about how serious it is and how to file it: the
// IRIS severity and the alert tags.
//
// Severity (IRIS ids, iris_ids.h), per object, first that applies:
//   x_atio_severity   "unspecified"/"unknown" 1, "informational"/"info"/"none" 2,
//                     "low" 3, "medium"/"moderate" 4, "high" 5, "critical" 6;
//                     a number is a CVSS-like 0-10 score: 0 -> 2, <4 -> 3,
//                     <7 -> 4, <9 -> 5, else 6
//   Suricata severity x_suricata_severity / x_atio_suricata_severity, where 1
//                     is the most severe: 1 -> 5 High, 2 -> 4 Medium, 3 -> 3 Low,
//                     4 and above -> 2 Informational
//   confidence        STIX 0-100 read on the spec's None/Low/Med/High scale:
//                     0 -> 2, 1-29 -> 3, 30-69 -> 4, 70-100 -> 5
// The alert takes the highest over all objects. With none of these, an
// x_atio_notable object makes it 4 Medium, otherwise 1 Unspecified.
//
// Tags: the labels of every object, the ATT&CK technique ids (T1234,
// T1234.001) of external references from a "mitre-*" source, each
// x_atio_event_class, and "notable" when an object is; unique, in order,
// without the commas IRIS uses to separate them.
#pragma once

#include <string>

#include "atio/cti/convert/iris_iocs.h"

namespace atio::convert::iris {

int alert_severity(const BundleView& bundle);

// The comma-separated tag string; "" when there is none.
std::string alert_tags(const BundleView& bundle);

}  // namespace atio::convert::iris
