// A detection: what enrichment reasons about, read from a STIX bundle that a
// converter produced. One Suricata bundle is one detection (an alert: its
// signature seen from an actor against a target); one GVM bundle holds one
// detection per affected host and vulnerability (a `has` relationship).
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "atio/core/status.h"

namespace atio::enrich {

struct Detection {
  enum class Kind { kAlert, kVulnerability };
  Kind kind = Kind::kAlert;
  // What was detected: "suricata:1:2001219", "ET SCAN ..." when no id;
  // the NVT OID or CVE of a vulnerability.
  std::string signature;
  std::string name;                     // signature or vulnerability name, for people
  std::string source;                   // actor address ("" for a vulnerability)
  std::string target;                   // target address
  std::vector<std::string> target_hostnames;
  double severity = 0;                  // 0..10 (CVSS, or the mapped alert severity)
  int alert_severity = -1;              // the detector's own number, when an alert
  int confidence = -1;                  // 0..100, -1 unknown
  std::vector<std::string> techniques;  // ATT&CK ids
  std::string object_type;              // "attack-pattern" or "vulnerability"
  std::string time;                     // STIX timestamp of the detection
  std::string anchor_id;                // the STIX object the results are written on
  std::string host_id;                  // the infrastructure object of a vulnerability

  // A stable id: the same (signature, source, target) always gives the same
  // UUID (v5 in atio's namespace), so repeated alerts and rescans of the same
  // finding on the same host share it.
  std::string id() const;
};

// The detections of a bundle, in order; an empty list when the bundle holds
// no report that names a target (atio's Suricata and GVM bundles do).
// kInvalidArgument when `bundle` is not a STIX bundle.
Result<std::vector<Detection>> read_detections(const boost::json::object& bundle);

}  // namespace atio::enrich
