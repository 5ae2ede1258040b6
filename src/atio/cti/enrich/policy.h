// Organisation security policies as rules: a rule that matches a detection
// attaches its name and required response to it, so the playbook (and the
// analyst) know what the organisation expects done.
//
// A policy (JSON):
//   {"name": "PCI hosts: isolate on high-importance alerts",      required
//    "match": {                                    every member optional; all
//      "kinds": ["alert", "vulnerability"],        given ones must match, a
//      "object_types": ["attack-pattern"],         list matches when any of
//      "min_severity": 7.0,                        its entries does
//      "min_importance": 50,
//      "asset_tags": ["pci"],
//      "techniques": ["T1046"],                    (sub-techniques match their
//      "signature_contains": ["SCAN"]},             parent: T1059 matches T1059.001)
//    "response": ["isolate-host", "open-case"],    required, non-empty
//    "priority": "high"}                           optional: low|medium|high|critical
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <vector>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/cti/enrich/asset.h"
#include "atio/cti/enrich/detection.h"

namespace atio::enrich {

struct Policy {
  std::string name;
  std::vector<std::string> kinds;
  std::vector<std::string> object_types;
  double min_severity = -1;
  int min_importance = -1;
  std::vector<std::string> asset_tags;
  std::vector<std::string> techniques;
  std::vector<std::string> signature_contains;
  std::vector<std::string> response;
  std::string priority = "medium";

  // True when every criterion given holds for the detection (with its
  // matched asset, or null, and its importance).
  bool matches(const Detection& d, const Asset* asset, int importance) const;
  boost::json::object to_json() const;
};

// A JSON array of policies or {"policies": [...]}; every problem is listed
// in `errors` with its pointer, and then no policy is returned.
Result<std::vector<Policy>> parse_policies(const boost::json::value& v, json::FieldErrors* errors);

}  // namespace atio::enrich
